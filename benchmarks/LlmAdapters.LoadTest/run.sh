#!/usr/bin/env bash
# Runs every row of the load tool in its own process (a fresh emulator each time, a warm-up discarded), each row `runs`
# times, and prints the table with each path's requests/s as a ratio of the bare reader's of the same dialect and run:
# the median of the runs and their spread (min–max). Where the machine has at least 2 cores and taskset, the client is
# pinned to the first half of the cores and the emulator to the other half (LOADTEST_EMULATOR_CPUS). The load average is
# printed before and after, since other work on the machine moves every figure.
# Usage: bash benchmarks/LlmAdapters.LoadTest/run.sh [streams=1000] [seconds=10] [warmup=3] [runs=3]
#        (LOADTEST_LOG=file keeps each row's output; LOADTEST_DIALECTS / LOADTEST_PATHS narrow the rows;
#         LOADTEST_SETTINGS="AI:Pipeline:Retry:Enabled=false;…" changes the configured rows' settings;
#         LOADTEST_OVERHEAD=on adds the overhead metric's mean and p99 and the process's CPU ms per request)
set -euo pipefail
cd "$(dirname "$0")/../.."
streams=${1:-1000}; seconds=${2:-10}; warmup=${3:-3}; runs=${4:-3}
dialects=${LOADTEST_DIALECTS:-openai anthropic}
paths=${LOADTEST_PATHS:-bare adapter meai default full}
# shellcheck source=benchmarks/LlmAdapters.LoadTest/common.sh
source benchmarks/LlmAdapters.LoadTest/common.sh
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
# Below the kernel's ephemeral range (usually 32768-60999): a thousand client sockets of the previous row must not hold the
# next emulator's port. A row that printed no result (its emulator could not start) is tried again on another port.
port=21391
for run in $(seq 1 "$runs"); do
  for dialect in $dialects; do
    for path in $paths; do
      for attempt in 1 2 3; do
        port=$((port + 1))
        before=$(wc -l <"$rows")
        "${pin[@]}" dotnet "$tool" --streams "$streams" --seconds "$seconds" --warmup "$warmup" --port "$port" --dialect "$dialect" --path "$path" --overhead "${LOADTEST_OVERHEAD:-off}" \
          | tee -a "${LOADTEST_LOG:-/dev/null}" | grep "^ROW " | sed "s/^ROW /ROW $run /" >>"$rows" || true
        if [ "$(wc -l <"$rows")" -gt "$before" ]; then
          break
        fi
        echo "run $run, $dialect/$path: no result on port $port (attempt $attempt)" >&2
      done
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Every run:"
echo
echo "| Run | Dialect | Path | Requests/s | Ratio | p50 ms | p99 ms | Peak working set MB | Errors | Overhead mean ms | Overhead p99 ms | CPU ms/request |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk '{ key=$2" "$3; if ($4=="bare") bare[key]=$5; row[NR]=$0 } END { for (i=1;i<=NR;i++) { split(row[i],f," "); printf "| %s | %s | %s | %.0f | %.2f | %s | %s | %s | %s | %s | %s | %s |\n", f[2], f[3], f[4], f[5], (bare[f[2]" "f[3]]>0 ? f[5]/bare[f[2]" "f[3]] : 0), f[6], f[7], f[8], f[9], (f[10]==""?"-":f[10]), (f[11]==""?"-":f[11]), (f[12]==""?"-":f[12]) } }' "$rows"
echo
echo "Median of $runs runs (spread: min–max of the ratio):"
echo
echo "| Dialect | Path | Ratio median | Ratio min–max | Requests/s median | Errors (all runs) |"
echo "|---|---|---:|---|---:|---:|"
awk 'function isort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
  { key=$2" "$3; if ($4=="bare") bare[key]=$5; row[NR]=$0 }
  END {
    for (i=1;i<=NR;i++) { split(row[i],f," "); id=f[3]" "f[4]; if (!(id in seen)) { seen[id]=1; order[++n]=id }
      r=(bare[f[2]" "f[3]]>0 ? f[5]/bare[f[2]" "f[3]] : 0); ratios[id]=ratios[id]" "r; rps[id]=rps[id]" "f[5]; err[id]+=f[9] }
    for (j=1;j<=n;j++) { id=order[j]; split(id,k," ");
      m=split(ratios[id],a," "); isort(a, m); q=split(rps[id],b," "); isort(b, q);
      printf "| %s | %s | %.2f | %.2f–%.2f | %.0f | %d |\n", k[1], k[2], a[int((m+1)/2)], a[1], a[m], b[int((q+1)/2)], err[id] } }' "$rows"
