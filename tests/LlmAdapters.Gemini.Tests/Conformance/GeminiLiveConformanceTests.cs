// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Tests.Conformance;

/// <summary>
/// The conformance suite against the real Gemini API: opt in by setting <c>GEMINI_API_KEY</c> (and optionally
/// <c>GEMINI_MODEL</c>, default gemini-2.5-flash); skipped otherwise.
/// </summary>
public sealed class GeminiLiveConformanceTests : ChatClientConformanceTests
{
    protected override string ExpectedProviderName => "gcp.gemini";

    protected override IChatClient? CreateClient(out string skipReason)
    {
        var key = Environment.GetEnvironmentVariable("GEMINI_API_KEY");
        skipReason = "Set GEMINI_API_KEY to run the live Gemini conformance tests.";
        return string.IsNullOrEmpty(key) ? null : new GeminiChatClient(new GeminiChatClientOptions
        {
            ApiKey = key,
            Model = Environment.GetEnvironmentVariable("GEMINI_MODEL") ?? GeminiChatClientOptions.DefaultModel,
        });
    }
}
