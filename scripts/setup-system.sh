#!/usr/bin/env bash
# Installs the system packages the test tiers need on a fresh Debian machine:
# Chromium (driven by playwright-core), ripgrep (code-server's search expects it),
# and the toolchain code-server's native addons compile with. Idempotent: it does
# nothing when everything is already there.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need+=(pkg-config)
dpkg -s build-essential >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
command -v cmake >/dev/null || need+=(cmake)
# The server backend's tests make a self-signed TLS certificate with it.
command -v openssl >/dev/null || need+=(openssl)
command -v git >/dev/null || need+=(git)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "setup-system: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
