// Licensed under the MIT License.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The job every benchmark class runs with: one launch, 3 warm-up and 5 measured iterations, so that the whole suite
/// finishes in a few minutes on a shared 2-core machine. Absolute times are noisy there; the ratios against the
/// baseline of the same run are what count.
/// </summary>
public sealed class QuickConfig : ManualConfig
{
    /// <summary>Initializes a new instance of the <see cref="QuickConfig"/> class.</summary>
    public QuickConfig() =>
        AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithId("Quick"));
}
