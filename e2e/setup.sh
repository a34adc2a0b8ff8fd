#!/usr/bin/env bash
# Installs what the e2e harness needs, offline-friendly and idempotent:
#   1. Debian packages: chromium (the browser), ripgrep (code-server's search
#      binary, see 3), libkrb5-dev and a C++ toolchain (native modules of
#      code-server built from source by node-gyp);
#   2. checks Node 20 (code-server 4.100.3 refuses any other major);
#   3. fills @vscode/ripgrep's download cache from Debian's rg, because its
#      postinstall would otherwise download a binary from GitHub;
#   4. `npm ci` in e2e/ when package-lock.json changed since the last install,
#   5. then code-server's own postinstall (see there why it is not npm's job).
# Under CI=true a missing tool fails; elsewhere it prints `SKIPPED: <tool> not
# found` and exits 0, and run.mjs then skips the same way.
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json); update both
# together with the code-server version in package.json.
ripgrep_package_version="1.15.11"
ripgrep_release="v13.0.0-10"

missing() {
  local tool="$1" hint="$2"
  if [ "${CI:-}" = "true" ]; then
    echo "FAILED: $tool not found ($hint)" >&2
    exit 1
  fi
  echo "SKIPPED: $tool not found ($hint)"
  exit 0
}

# --- 1. Debian packages -----------------------------------------------------
debian_packages=(chromium ripgrep libkrb5-dev python3 make g++)
needed=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    needed+=("$package")
  fi
done
if [ "${#needed[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "e2e setup: apt-get install ${needed[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
  else
    missing "${needed[*]}" "install the Debian packages ${needed[*]} as root"
  fi
fi
command -v chromium >/dev/null || missing chromium "apt-get install chromium"
command -v rg >/dev/null || missing rg "apt-get install ripgrep"

# --- 2. Node 20 --------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
if [ "$node_major" != "20" ]; then
  missing "node 20" "code-server 4.100.3 needs Node 20, this is $node_major"
fi

# --- 3. ripgrep download cache ----------------------------------------------
# @vscode/ripgrep's postinstall looks for $TMPDIR/vscode-ripgrep-cache-<its
# version>/ripgrep-<release>-<target>.tar.gz and, if present, runs
# `tar xvf` on it into its bin/ folder, expecting `rg` at the archive's top.
case "$(uname -m)" in
  x86_64) ripgrep_target="x86_64-unknown-linux-musl" ;;
  aarch64) ripgrep_target="aarch64-unknown-linux-musl" ;;
  *) missing "a ripgrep target for $(uname -m)" "extend e2e/setup.sh" ;;
esac
ripgrep_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-${ripgrep_package_version}"
ripgrep_tarball="$ripgrep_cache/ripgrep-${ripgrep_release}-${ripgrep_target}.tar.gz"
if [ ! -s "$ripgrep_tarball" ]; then
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  mkdir -p "$ripgrep_cache"
  tar -czf "$ripgrep_tarball.tmp" -C "$staging" rg
  mv "$ripgrep_tarball.tmp" "$ripgrep_tarball"
  rm -rf "$staging"
  echo "e2e setup: ripgrep cache filled from $(command -v rg): $ripgrep_tarball"
fi

# --- 4. npm ci ---------------------------------------------------------------
# The stamp records which manifest, lockfile and Node the installed tree came from.
stamp_file="$e2e_dir/node_modules/.ioctl-lens-e2e-stamp"
wanted_stamp="$(cat "$e2e_dir/package.json" "$e2e_dir/package-lock.json" | sha256sum | cut -d' ' -f1) node-$(node -v)"
installed_stamp="$(cat "$stamp_file" 2>/dev/null || true)"
vscode_modules="$e2e_dir/node_modules/code-server/lib/vscode/node_modules"
if [ "$installed_stamp" = "$wanted_stamp" ] && [ -d "$vscode_modules" ]; then
  echo "e2e setup: node_modules up to date"
  exit 0
fi
echo "e2e setup: npm ci in $e2e_dir, then code-server's native modules (about two minutes)"
started=$SECONDS
(cd "$e2e_dir" && npm ci --no-audit --no-fund)

# --- 5. code-server's postinstall ---------------------------------------------
# package.json's allowScripts denies code-server's install script, so npm ci
# skips it silently, and it runs here instead: the script refuses root unless
# npm_config_unsafe_perm=true, a setting npm 11 no longer knows and warns about
# on every command when it sits in an .npmrc. Here it reaches only that script
# (with npm_config_yes for the `npx node-gyp` its nested install runs). Its
# output (the nested `npm install` in lib/vscode, node-gyp) goes to a log,
# shown when it fails, as npm itself does with dependency scripts.
mkdir -p "$e2e_dir/logs"
postinstall_log="$e2e_dir/logs/code-server-postinstall.log"
if ! (cd "$e2e_dir/node_modules/code-server" &&
  npm_config_user_agent="npm/$(npm -v) node/$(node -v) $(uname -s | tr A-Z a-z) $(uname -m)" \
    npm_config_unsafe_perm=true npm_config_yes=true sh ./postinstall.sh) >"$postinstall_log" 2>&1; then
  tail -n 40 "$postinstall_log" >&2
  echo "FAILED: code-server's postinstall failed (whole log: $postinstall_log)" >&2
  exit 1
fi
# Check that it really produced the pieces the harness depends on.
for required in "$vscode_modules" "$vscode_modules/@vscode/ripgrep/bin/rg" "$vscode_modules/@vscode/spdlog/build/Release/spdlog.node"; do
  if [ ! -e "$required" ]; then
    echo "FAILED: code-server's install is incomplete: $required is missing (log: $postinstall_log)" >&2
    exit 1
  fi
done
echo "$wanted_stamp" >"$stamp_file"
echo "e2e setup: installed in $((SECONDS - started)) s, $(du -sh "$e2e_dir/node_modules" | cut -f1) in e2e/node_modules"
