#!/usr/bin/env bash
# The gateway row (issue 23, item 6): the same emulator direct and through the gateway at fixed offered loads (open loop),
# `runs` times, each run in fresh processes. Where the machine has at least 2 cores and taskset, the client is pinned to
# the first half of the cores, the gateway (LOADTEST_GATEWAY_CPUS) and the emulator (LOADTEST_EMULATOR_CPUS) to the other
# half. Prints every run, then per load the median and the spread (min–max) of the runs, and the load average before and after.
# Usage: bash benchmarks/LlmAdapters.LoadTest/run-gateway.sh [rates=200,500,1000] [seconds=10] [warmup=3] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
rates=${1:-200,500,1000}; seconds=${2:-10}; warmup=${3:-3}; runs=${4:-3}
# shellcheck source=benchmarks/LlmAdapters.LoadTest/common.sh
source benchmarks/LlmAdapters.LoadTest/common.sh
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
# Below the kernel's ephemeral range (usually 32768-60999), where the client sockets of a previous row live.
port=22591
for run in $(seq 1 "$runs"); do
  port=$((port + 2))
  "${pin[@]}" dotnet "$tool" gateway --rates "$rates" --seconds "$seconds" --warmup "$warmup" --port "$port" \
    | tee -a "${LOADTEST_LOG:-/dev/null}" | grep "^GROW " | sed "s/^GROW /GROW $run /" >>"$rows" || true
  echo "run $run done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Every run (ms; ratios are gateway/direct of the same run; metrics: p50 and p99 of the gateway process's histograms):"
echo
echo "| Run | req/s | Direct p50 | Direct p99 | Gateway p50 | Gateway p99 | Added p50 | Added p99 | Ratio p50 | Ratio p99 | Gateway CPU ms/req | Gateway peak WS MB | Errors | gateway.overhead p50 / p99 | client.overhead p50 / p99 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $17, $18, $21, $22 }' "$rows"
echo
# The median of a row's runs with their min–max, shared by both tables below.
median_awk='function isort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
  function cell(s,   a, m) { m = split(s, a, " "); isort(a, m); return sprintf("%s (%s–%s)", a[int((m+1)/2)], a[1], a[m]) }'
echo "Median of $runs runs (min–max):"
echo
echo "| req/s | Added p50 ms | Added p99 ms | Ratio p50 | Ratio p99 | Gateway CPU ms/req | Gateway peak WS MB | Errors (all runs) | gateway.overhead p50 ms | client.overhead p50 ms |"
echo "|---:|---|---|---|---|---|---|---:|---|---|"
awk "$median_awk"'
  { r=$3; if (!(r in seen)) { seen[r]=1; order[++n]=r }
    ap50[r]=ap50[r]" "$8; ap99[r]=ap99[r]" "$9; rp50[r]=rp50[r]" "$10; rp99[r]=rp99[r]" "$11; cpu[r]=cpu[r]" "$12; ws[r]=ws[r]" "$13; err[r]+=$14+$32; gm[r]=gm[r]" "$17; cm[r]=cm[r]" "$21 }
  END { for (j=1;j<=n;j++) { r=order[j]; printf "| %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", r, cell(ap50[r]), cell(ap99[r]), cell(rp50[r]), cell(rp99[r]), cell(cpu[r]), cell(ws[r]), err[r], cell(gm[r]), cell(cm[r]) } }' "$rows"
echo
echo "The pipeline in the client's process (issue 24, item 4): the default configured pipeline to the same emulator at the"
echo "same loads; its added latency over direct and this process's extra CPU per request beside llmadapters.client.overhead"
echo "recorded for the same calls (median of $runs runs, min–max):"
echo
echo "| req/s | Added p50 ms | Added p99 ms | Extra client CPU ms/req | client.overhead p50 ms | client.overhead p99 ms | client.overhead mean ms |"
echo "|---:|---|---|---|---|---|---|"
awk "$median_awk"'
  { r=$3; if (!(r in seen)) { seen[r]=1; order[++n]=r }
    a50[r]=a50[r]" "$24; a99[r]=a99[r]" "$25; cpu[r]=cpu[r]" "sprintf("%.3f", $27-$26); m50[r]=m50[r]" "$29; m99[r]=m99[r]" "$30; mm[r]=mm[r]" "$31 }
  END { for (j=1;j<=n;j++) { r=order[j]; printf "| %s | %s | %s | %s | %s | %s | %s |\n", r, cell(a50[r]), cell(a99[r]), cell(cpu[r]), cell(m50[r]), cell(m99[r]), cell(mm[r]) } }' "$rows"
