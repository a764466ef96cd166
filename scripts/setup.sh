#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Sky Eye (the project carries its own Node.js 24 through npm): ffmpeg, chromium and a
# Chinese font from the distribution (only if missing), npm dependencies, and the console build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# A Chinese font, so the console's zh-CN pages render (and their screenshots show text, not boxes).
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} from the distribution"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
echo "setup: building the console"
npm run --silent build:web
echo "setup: done"
