#!/usr/bin/env bash
# Runs every row of the load tool in its own process (a fresh emulator each time, a warm-up discarded) and prints the
# table with each path's requests/s as a ratio of the bare reader's of the same dialect.
# Usage: bash benchmarks/LlmAdapters.LoadTest/run.sh [streams=1000] [seconds=10] [warmup=3]   (LOADTEST_LOG=file keeps each row's output)
set -euo pipefail
cd "$(dirname "$0")/../.."
streams=${1:-1000}; seconds=${2:-10}; warmup=${3:-3}
dotnet build -c Release -v q -nologo benchmarks/LlmAdapters.LoadTest/LlmAdapters.LoadTest.csproj >/dev/null
tool=benchmarks/LlmAdapters.LoadTest/bin/Release/net10.0/LlmAdapters.LoadTest.dll
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
port=47391
for dialect in openai anthropic; do
  for path in bare adapter meai default full; do
    port=$((port + 1))
    dotnet "$tool" --streams "$streams" --seconds "$seconds" --warmup "$warmup" --port "$port" --dialect "$dialect" --path "$path" \
      | tee -a "${LOADTEST_LOG:-/dev/null}" | grep "^ROW " >>"$rows" || true
  done
done
echo
echo "| Dialect | Path | Requests/s | Ratio | p50 ms | p99 ms | Peak working set MB | Errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
awk '{ key=$2; if ($3=="bare") bare[key]=$4; row[NR]=$0 } END { for (i=1;i<=NR;i++) { split(row[i],f," "); printf "| %s | %s | %.0f | %.2f | %s | %s | %s | %s |\n", f[2], f[3], f[4], (bare[f[2]]>0 ? f[4]/bare[f[2]] : 0), f[5], f[6], f[7], f[8] } }' "$rows"
