#!/usr/bin/env bash
# scripts/deps.sh: install what Anju needs to build, run and test, only when missing.
# Run by `make`; safe to run again. Debian 12 packages and the npm registry only.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(
  build-essential pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libssl-dev libxlsxwriter-dev libcurl4-openssl-dev libmosquitto-dev mosquitto
  libical-dev libmagic-dev libcriterion-dev
  libpwquality-dev cracklib-runtime
  libqrencode-dev libcairo2-dev libpango1.0-dev poppler-utils zbar-tools
  python3 wrk chromium fonts-noto-cjk
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web app's packages, from the committed lock file.
if [ -f web/package-lock.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "deps: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
