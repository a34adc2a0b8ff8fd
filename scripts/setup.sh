#!/usr/bin/env bash
# Installs everything ioctl-lens's tests need on a fresh Debian 12 machine:
# the Debian packages (clang and clangd for the differential tests and the
# benchmark, mingw-w64 headers as real-world input), then the npm packages.
# Does only what is missing: Debian packages already present are not
# installed again, and `npm ci` runs only when node_modules was not built
# from this package.json, package-lock.json and Node version (the stamp that
# `npm install`/`npm ci` leave through the `prepare` script).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v clangd >/dev/null 2>&1 || need+=(clangd)
[ -f /usr/share/mingw-w64/include/windows.h ] || need+=(mingw-w64-common)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "setup: installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if node scripts/install-stamp.mjs --check; then
  echo "setup: node_modules up to date (package.json, package-lock.json and Node $(node -v) unchanged)"
else
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
