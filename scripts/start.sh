#!/usr/bin/env bash
# `npm start`: builds the console when web/dist is missing or older than its sources, then runs
# Sky Eye in place of this shell (exec), so SIGTERM/SIGINT reach it directly.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts common -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "start: building the console (web/dist)"
  npm run --silent build:web
fi
# Idle memory (README "Control plane at county scale"): a 16 MiB young generation (V8's default
# grows to 128 MiB here and stays resident; the threads get the same from common/threads.ts), and
# glibc's mmap threshold fixed at 128 KiB (its dynamic threshold rises after the first large free
# and then keeps freed buffers of the database thread's start-up in the heap for good).
export NODE_OPTIONS="--max-semi-space-size=16${NODE_OPTIONS:+ $NODE_OPTIONS}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
exec node_modules/.bin/tsx server/main.ts
