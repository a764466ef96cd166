#!/usr/bin/env bash
# `npm start`: builds the console when web/dist is missing or older than its sources, then runs
# Sky Eye in place of this shell (exec), so SIGTERM/SIGINT reach it directly.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts common -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "start: building the console (web/dist)"
  npm run --silent build:web
fi
exec node_modules/.bin/tsx server/main.ts
