// Licensed under the MIT License.

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The job every benchmark class runs with: one launch, 3 warm-up and 5 measured iterations, so that the whole suite
/// finishes in a few minutes on a shared 2-core machine. Absolute times are noisy there; the ratios against the
/// baseline of the same run are what count. With <c>--inProcess</c> on the command line (see <c>Program.cs</c>) this job
/// runs in the benchmark process itself, and is the only job: no copy of the project is built.
/// </summary>
public sealed class QuickConfig : ManualConfig
{
    /// <summary>Initializes a new instance of the <see cref="QuickConfig"/> class.</summary>
    public QuickConfig()
    {
        var job = Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithId("Quick");
        AddJob(InProcess ? job.WithToolchain(InProcessEmitToolchain.Instance) : job);
    }

    /// <summary>Gets or sets a value indicating whether the Quick job runs in process (<c>--inProcess</c>).</summary>
    public static bool InProcess { get; set; }
}
