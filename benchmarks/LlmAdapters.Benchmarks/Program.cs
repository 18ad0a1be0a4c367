// Licensed under the MIT License.

using BenchmarkDotNet.Running;
using LlmAdapters.Benchmarks;

// dotnet run -c Release --project benchmarks/LlmAdapters.Benchmarks -- --filter '*'   (docs/performance.md)
// --inProcess runs the classes' Quick job in this process instead of adding BenchmarkDotNet's default job beside it.
QuickConfig.InProcess = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase);
BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly)
    .Run([.. args.Where(a => !string.Equals(a, "--inProcess", StringComparison.OrdinalIgnoreCase))]);
