#!/usr/bin/env bash
# scripts/run.sh (make run): first run creates var/anju.db with demo data and the
# admin user, then serves http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
DB_PATH=var/anju.db
DB="sqlite:$DB_PATH"
LISTEN=${ANJU_LISTEN:-127.0.0.1:8080}
DEMO_PW=${ANJU_DEMO_PASSWORD:-anju2026}
mkdir -p var

if [ ! -f "$DB_PATH" ]; then
  echo "==> creating $DB_PATH with demo data"
  time ANJU_DEMO_PASSWORD="$DEMO_PW" build/anju demo --db "$DB" --scale small --seed 1
  pw=${ANJU_ADMIN_PASSWORD:-}
  if [ -z "$pw" ]; then
    pw=$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 14)
  fi
  printf '%s\n' "$pw" | build/anju user add --db "$DB" --username admin --role admin --name 系统管理员 --department 管理 >/dev/null
  cat <<MSG

  ┌──────────────────────────────────────────────────────────────┐
    Admin login (shown once, keep it):  admin / $pw
  └──────────────────────────────────────────────────────────────┘
MSG
fi

resident=$(sqlite3 "$DB_PATH" "SELECT r.phone FROM residents r JOIN users u ON u.id = r.user_id WHERE u.password_hash IS NOT NULL ORDER BY r.id LIMIT 1" 2>/dev/null || true)
desk=$(sqlite3 "$DB_PATH" "SELECT username FROM users WHERE role = 'desk' ORDER BY id LIMIT 1" 2>/dev/null || true)
tech=$(sqlite3 "$DB_PATH" "SELECT username FROM users WHERE role = 'technician' ORDER BY id LIMIT 1" 2>/dev/null || true)
code=$(sqlite3 "$DB_PATH" "SELECT code FROM projects WHERE active = 1 ORDER BY id LIMIT 1" 2>/dev/null || true)
cat <<MSG

  Anju is starting at http://$LISTEN
    staff console:   http://$LISTEN/          (admin, or demo staff such as ${desk:-desk_…} / $DEMO_PW)
    staff phone:     http://$LISTEN/w/        (我的任务 on a phone: a technician such as ${tech:-tech_…} / $DEMO_PW)
    resident page:   http://$LISTEN/m/        (${resident:-a demo resident} / $DEMO_PW, or a one-time code)
  This is a demo (--dev): SMS one-time codes are not sent, they are printed in this log.
  A real server sends them through a gateway: ANJU_SMS=aliyun|tencent (see README).
    public board:    http://$LISTEN/p/${code:-CODE}   (信息公示: promises and last month's figures, no login)
    API:             http://$LISTEN/api/v1    (docs: /api/v1/openapi.json)
  Stop with Ctrl-C.

MSG
exec build/anju serve --dev --db "$DB" --listen "$LISTEN"
