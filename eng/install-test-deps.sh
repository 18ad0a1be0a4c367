#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, from Debian's packages, and only what is missing:
# redis-server (the shared-state tests start their own on a free loopback port) and Chromium (the ChatHost page tests).
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ "${#need[@]}" -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing test dependencies: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
# The Debian package starts a redis-server on the default port; the tests start their own on free ports.
if command -v service >/dev/null 2>&1; then "${sudo[@]}" service redis-server stop >/dev/null 2>&1 || true; fi
