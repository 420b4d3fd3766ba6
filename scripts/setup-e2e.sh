#!/usr/bin/env bash
# Installs what the end-to-end tier needs: the system packages (through
# setup-system.sh) and code-server, a real VS Code server + web workbench, into
# the project-local cache .cache/code-server/ (kept out of the project's
# node_modules so the extension's own dependencies and .vsix stay clean).
# Idempotent: when the right version is already installed it does nothing.
# Prints one line saying what it did; exits non-zero with the reason otherwise.
set -euo pipefail

# 4.100.3 (VS Code 1.100.3) is the newest code-server whose install accepts Node 20.
CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep inside code-server 4.100.3, and the ripgrep archive it wants.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.cache/code-server"
marker="$prefix/.installed-$CODE_SERVER_VERSION"
log="$root/.cache/setup-e2e.log"

fail() { echo "setup-e2e: FAILED: $*" >&2; exit 1; }

bash "$root/scripts/setup-system.sh" || fail "scripts/setup-system.sh could not install the system packages (see its output above)"
for tool in chromium rg tar npm; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing after scripts/setup-system.sh"
done

# The marker is written only after a verified install, so a half-finished
# install (interrupted, or failed in a postinstall) is redone, not trusted.
if [ -f "$marker" ] && [ -x "$prefix/node_modules/.bin/code-server" ]; then
  echo "setup-e2e: code-server $CODE_SERVER_VERSION already installed in .cache/code-server"
  exit 0
fi

start=$SECONDS
mkdir -p "$root/.cache"
rm -rf "$prefix"
mkdir -p "$prefix"

# @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which is
# unreachable here; it first looks for a cached archive under $TMPDIR, so we
# give it one holding Debian's rg. A private TMPDIR keeps that out of /tmp.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
cp "$(command -v rg)" "$tmp/rg"
tar -czf "$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ASSET" -C "$tmp" rg

# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, and this machine's npm says yes=false.
if ! TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  fail "npm install code-server@$CODE_SERVER_VERSION did not succeed (full log: .cache/setup-e2e.log)"
fi

# npm can exit 0 while a nested postinstall quietly left parts out; check the
# pieces the tests rely on.
# XDG_*: code-server writes a default config file there even for --version.
version="$(XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" "$prefix/node_modules/.bin/code-server" --version 2>>"$log" \
  | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' || true)"
case "$version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) fail "code-server --version printed '$version', expected $CODE_SERVER_VERSION (log: .cache/setup-e2e.log)" ;;
esac
rg_bin="$(find "$prefix/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin" -name rg -type f 2>/dev/null | head -n 1)"
[ -n "$rg_bin" ] || fail "code-server's bundled ripgrep is missing (log: .cache/setup-e2e.log)"

touch "$marker"
echo "setup-e2e: installed code-server $CODE_SERVER_VERSION into .cache/code-server in $((SECONDS - start)) s"
