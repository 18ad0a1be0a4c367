#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, from Debian's packages, and only what is missing:
# redis-server (the shared-state tests start their own on a free loopback port), Chromium (the ChatHost and gateway
# page tests), and Node.js with npm (the official JavaScript clients of the gateway tests, tests/gateway-clients,
# installed there with 'npm ci' from its package-lock.json when node_modules is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ "${#need[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing test dependencies: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  # The Debian package starts a redis-server on the default port; the tests start their own on free ports.
  if command -v service >/dev/null 2>&1; then "${sudo[@]}" service redis-server stop >/dev/null 2>&1 || true; fi
fi

# The gateway's client tests: the exact versions of the lock file (with the Node.js 22 they run on, the npm package
# "node"), again whenever the lock file is newer than the installed tree (node_modules is kept between runs).
if [ ! -d tests/gateway-clients/node_modules ] || [ tests/gateway-clients/package-lock.json -nt tests/gateway-clients/node_modules/.package-lock.json ]; then
  echo "Installing the gateway client tests' npm packages (npm ci)" >&2
  (cd tests/gateway-clients && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
