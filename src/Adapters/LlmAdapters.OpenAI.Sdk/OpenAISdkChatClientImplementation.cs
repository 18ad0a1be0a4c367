// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI;

/// <summary>The <c>sdk</c> implementation of the OpenAI-compatible presets: <see cref="OpenAICompatibleChatClient"/>, on Microsoft.Extensions.AI.OpenAI.</summary>
public sealed class OpenAISdkChatClientImplementation : IOpenAIChatClientImplementation
{
    /// <summary>The value of a client's <c>Implementation</c> key that selects it.</summary>
    public const string ImplementationName = "sdk";

    /// <inheritdoc/>
    public string Name => ImplementationName;

    /// <inheritdoc/>
    public IChatClient CreateClient(OpenAICompatibleChatClientOptions options, HttpClient httpClient) => new OpenAICompatibleChatClient(options, httpClient);
}
