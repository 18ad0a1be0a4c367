// Licensed under the MIT License.

using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/LlmAdapters.Benchmarks -- --filter '*'   (docs/performance.md)
BenchmarkSwitcher.FromAssembly(typeof(LlmAdapters.Benchmarks.QuickConfig).Assembly).Run(args);
