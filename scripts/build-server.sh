#!/usr/bin/env bash
# `npm run build:server`: the production bundle that `npm start` and the image run (dist/server/main.js,
# with the roles' modules in chunks loaded only where a role runs). esbuild resolves tsconfig's path
# aliases and strips the types; packages stay external (node_modules). Running compiled JavaScript
# instead of tsx saves tsx's loader thread and CLI process (docs/benchmarks.md, "Memory round"). A source map is
# written beside each file; add --enable-source-maps to NODE_OPTIONS for TypeScript stack traces.
# The PGlite thread (server/db/pglite-thread.ts) and the migrations are read from server/ as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/server
exec node_modules/.bin/esbuild server/main.ts --bundle --splitting --platform=node --format=esm --target=node24 \
  --packages=external --tsconfig=tsconfig.json --sourcemap --outdir=dist/server \
  --entry-names=[name] --chunk-names=chunks/[name]-[hash] --log-level=warning
