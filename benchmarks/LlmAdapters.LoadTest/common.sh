# Sourced by run.sh and run-gateway.sh: builds the tool (Release) and sets `tool`, and `pin` (the client's taskset
# prefix) with LOADTEST_EMULATOR_CPUS and LOADTEST_GATEWAY_CPUS exported, when the machine has at least 2 cores and taskset:
# the client on the first half of the cores, the servers the tool starts on the other half.
dotnet build -c Release -v q -nologo benchmarks/LlmAdapters.LoadTest/LlmAdapters.LoadTest.csproj >/dev/null
tool=benchmarks/LlmAdapters.LoadTest/bin/Release/net10.0/LlmAdapters.LoadTest.dll
cores=$(nproc)
pin=()
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  half=$((cores / 2))
  pin=(taskset -c "0-$((half - 1))")
  export LOADTEST_EMULATOR_CPUS="$half-$((cores - 1))" LOADTEST_GATEWAY_CPUS="$half-$((cores - 1))"
  echo "client pinned to cores 0-$((half - 1)), the emulator (and the gateway) to $LOADTEST_EMULATOR_CPUS"
else
  echo "client and servers share the cores (no taskset, or one core)"
fi
