#!/usr/bin/env bash
# `npm start`: builds the console (web/dist) and the server bundle (dist/server) when missing or
# older than their sources, then runs Sky Eye in place of this shell (exec), so SIGTERM/SIGINT
# reach it directly.
set -euo pipefail
cd "$(dirname "$0")/.."
# True when the build output $1 is missing or any of the other paths holds something newer.
stale() {
  local out=$1
  shift
  [ ! -f "$out" ] || [ -n "$(find "$@" -newer "$out" -print -quit 2>/dev/null)" ]
}
if stale web/dist/index.html web/src web/index.html web/vite.config.ts common; then
  echo "start: building the console (web/dist)"
  npm run --silent build:web
fi
if stale dist/server/main.js server workers common config protocol sim types tsconfig.json package.json; then
  echo "start: building the server (dist/server)"
  npm run --silent build:server
fi
# Idle memory (docs/benchmarks.md, "Memory round"): a 16 MiB young generation (V8's default
# grows to 128 MiB here and stays resident; the threads get the same from common/threads.ts), and
# glibc's mmap threshold fixed at 128 KiB (its dynamic threshold rises after the first large free
# and then keeps freed buffers of the database thread's start-up in the heap for good).
export NODE_OPTIONS="--max-semi-space-size=16${NODE_OPTIONS:+ $NODE_OPTIONS}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
# The project's own Node (the `node` package) when installed; the image's otherwise.
NODE=node_modules/.bin/node
[ -x "$NODE" ] || NODE=node
exec "$NODE" dist/server/main.js
