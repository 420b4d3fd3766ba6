#!/usr/bin/env bash
# Builds llama.cpp's llama-server, the real OpenAI-compatible server the server
# backend's tests talk to, from the llama.cpp source node-llama-cpp carries
# (node_modules/node-llama-cpp/llama/gitRelease.bundle, a git bundle). Only the
# llama-server target is built, on the CPU, statically linked; it takes several
# minutes on 2 cores, so the binary is cached in .cache/llama-server/<commit>/
# and this script does nothing when it is there.
# Prints the binary's path on its last line; exits non-zero with the reason otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
fail() { echo "setup-llama-server: FAILED: $*" >&2; exit 1; }

[ -f "$bundle" ] || fail "$bundle is missing: run npm ci first"
for tool in git cmake c++; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing: run scripts/setup-system.sh"
done

commit="$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" {print $1}')"
[ -n "$commit" ] || fail "the bundle names no HEAD commit"
prefix="$root/.cache/llama-server/$commit"
binary="$prefix/llama-server"
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

start=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$root/.cache/llama-server-build.log"
mkdir -p "$root/.cache"
echo "setup-llama-server: building llama-server from llama.cpp $commit (several minutes; log: .cache/llama-server-build.log)" >&2
{
  git clone --quiet "$bundle" "$work/src"
  git -C "$work/src" checkout --quiet "$commit"
  # No curl (the tests serve local files), no GPU backends, no tests or examples:
  # the smallest build that is still the real server.
  cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    -DGGML_NATIVE=ON -DGGML_OPENMP=OFF
  cmake --build "$work/build" --target llama-server -j "$(nproc)"
} >"$log" 2>&1 || { tail -n 40 "$log" >&2; fail "the build did not succeed (full log: .cache/llama-server-build.log)"; }

built="$(find "$work/build" -name llama-server -type f -perm -u+x | head -n 1)"
[ -n "$built" ] || fail "the build finished without a llama-server binary (log: .cache/llama-server-build.log)"
"$built" --version >>"$log" 2>&1 || fail "the built llama-server does not run (log: .cache/llama-server-build.log)"
mkdir -p "$prefix"
# Copied under a temporary name and renamed, so an interrupted copy is never taken for a binary.
cp "$built" "$prefix/llama-server.partial"
mv "$prefix/llama-server.partial" "$binary"
echo "setup-llama-server: built in $((SECONDS - start)) s" >&2
echo "$binary"
