// Licensed under the MIT License.

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The configuration of the full configured pipeline that issue 16 item 3 measures: every network-free stage on (defaults
/// with a system prompt, temperature and max output tokens; logging; OpenTelemetry; a daily budget; cost accounting;
/// function invocation; the total, attempt and first-update timeouts; retry; requests, tokens and concurrency limits; two
/// API keys), every limit far above the load so that the stages cost but never act. Shared by
/// <c>PipelineStagesBenchmarks</c> and the allocation guards of tests/LlmAdapters.Hosting.Tests (linked there).
/// </summary>
internal static class FullPipelineSettings
{
    /// <summary>Creates the <c>AI</c> section's settings for <paramref name="provider"/>, with the stage <paramref name="without"/> off (or every stage on).</summary>
    public static Dictionary<string, string?> Create(string provider, string model, string? without)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AI:Provider"] = provider,
            ["AI:Model"] = model,
            ["AI:SystemPrompt"] = "You are a helpful assistant.",
            ["AI:Temperature"] = "0.7",
            ["AI:MaxOutputTokens"] = "512",
            ["AI:Pipeline:Budget:Daily"] = "1000000",
            ["AI:Pipeline:Timeout:Total"] = "00:05:00",
            ["AI:Pipeline:Timeout:Attempt"] = "00:02:00",
            ["AI:Pipeline:Timeout:FirstUpdate"] = "00:01:00",
            ["AI:Pipeline:RateLimit:RequestsPerMinute"] = "100000000",
            ["AI:Pipeline:RateLimit:TokensPerMinute"] = "1000000000",
            ["AI:Pipeline:RateLimit:MaxConcurrency"] = "64",
            ["AI:Pipeline:ApiKeys:0"] = "sk-bench-key-one-000000",
            ["AI:Pipeline:ApiKeys:1"] = "sk-bench-key-two-000000",
        };
        if (without is not null)
        {
            settings[$"AI:Pipeline:{without}:Enabled"] = "false";
        }

        return settings;
    }
}
