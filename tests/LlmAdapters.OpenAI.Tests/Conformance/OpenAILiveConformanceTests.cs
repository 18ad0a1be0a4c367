// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Conformance;

/// <summary>
/// The conformance suite against the real OpenAI API: opt in by setting <c>OPENAI_API_KEY</c> (and optionally
/// <c>OPENAI_MODEL</c>, default gpt-4o-mini); skipped otherwise.
/// </summary>
public sealed class OpenAILiveConformanceTests : ChatClientConformanceTests
{
    protected override string ExpectedProviderName => "openai";

    protected override IChatClient? CreateClient(out string skipReason)
    {
        var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        skipReason = "Set OPENAI_API_KEY to run the live OpenAI conformance tests.";
        return string.IsNullOrEmpty(key) ? null : new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions
        {
            ApiKey = key,
            Model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-4o-mini",
        });
    }
}
