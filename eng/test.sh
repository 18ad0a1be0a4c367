#!/usr/bin/env bash
# The README's test command: installs what the tests need beyond the .NET SDK, then runs every test.
# Extra arguments go to 'dotnet test' (for example --results-directory DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/install-test-deps.sh
exec dotnet test --solution Adapters.sln "$@"
