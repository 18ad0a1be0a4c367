// Licensed under the MIT License.

using LlmAdapters.OpenAI.Native;
using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>The hostile-provider suite on the native Chat Completions implementation, with the same answers as the SDK path's.</summary>
public sealed class OpenAINativeHostileProviderTests : OpenAIDialectHostileProviderTests
{
    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new OpenAIChatCompletionsClient(
            new OpenAIChatCompletionsClientOptions
            {
                Common = new OpenAICompatibleChatClientOptions { ProviderName = ProviderName, Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" },
            },
            httpClient);

    protected override IReadOnlyDictionary<string, string?> PipelineSettings { get; } = new Dictionary<string, string?> { ["AI:Implementation"] = "native" };
}
