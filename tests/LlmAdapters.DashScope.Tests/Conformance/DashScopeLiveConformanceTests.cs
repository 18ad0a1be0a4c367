// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Tests.Conformance;

/// <summary>
/// The conformance suite against the real DashScope API: opt in by setting <c>DASHSCOPE_API_KEY</c> (and optionally
/// <c>DASHSCOPE_ENDPOINT</c>, default international, and <c>DASHSCOPE_MODEL</c>, default qwen-plus); skipped otherwise.
/// </summary>
public sealed class DashScopeLiveConformanceTests : ChatClientConformanceTests
{
    protected override string ExpectedProviderName => "dashscope-native";

    protected override IChatClient? CreateClient(out string skipReason)
    {
        var key = Environment.GetEnvironmentVariable("DASHSCOPE_API_KEY");
        skipReason = "Set DASHSCOPE_API_KEY to run the live DashScope native conformance tests.";
        var endpoint = Environment.GetEnvironmentVariable("DASHSCOPE_ENDPOINT");
        return string.IsNullOrEmpty(key) ? null : new DashScopeChatClient(new DashScopeChatClientOptions
        {
            ApiKey = key,
            Endpoint = string.IsNullOrEmpty(endpoint) ? null : new Uri(endpoint),
            Model = Environment.GetEnvironmentVariable("DASHSCOPE_MODEL") ?? "qwen-plus",
        });
    }
}
