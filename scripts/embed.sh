#!/usr/bin/env bash
# scripts/embed.sh OUT.c SYMBOL FILE: FILE's bytes as a C string `const char SYMBOL[]`.
set -euo pipefail
out=$1 sym=$2 file=$3
{
  echo "/* generated from $file by scripts/embed.sh; do not edit */"
  echo "const char $sym[] ="
  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$file"
  echo ";"
  echo "const unsigned long ${sym}_len = sizeof($sym) - 1;"
} > "$out.tmp"
mv "$out.tmp" "$out"
