// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Tests.Conformance;

/// <summary>
/// The conformance suite against the real Anthropic API: opt in by setting <c>ANTHROPIC_API_KEY</c> (and optionally
/// <c>ANTHROPIC_MODEL</c>, default claude-haiku-4-5); skipped otherwise.
/// </summary>
public sealed class AnthropicLiveConformanceTests : ChatClientConformanceTests
{
    protected override string ExpectedProviderName => "anthropic";

    protected override IChatClient? CreateClient(out string skipReason)
    {
        var key = Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY");
        skipReason = "Set ANTHROPIC_API_KEY to run the live Anthropic conformance tests.";
        return string.IsNullOrEmpty(key) ? null : new AnthropicChatClient(new AnthropicChatClientOptions
        {
            ApiKey = key,
            Model = Environment.GetEnvironmentVariable("ANTHROPIC_MODEL") ?? "claude-haiku-4-5",
        });
    }
}
