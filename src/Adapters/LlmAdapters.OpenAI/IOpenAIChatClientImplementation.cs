// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI;

/// <summary>
/// An implementation of the OpenAI-compatible presets other than the native one, selected by a client's <c>Implementation</c>
/// key: the LlmAdapters.OpenAI.Sdk package registers <c>sdk</c> (<c>services.AddOpenAISdkImplementation()</c>), so that this
/// package carries no OpenAI SDK.
/// </summary>
public interface IOpenAIChatClientImplementation
{
    /// <summary>Gets the value of <c>Implementation</c> that selects it (e.g. <c>sdk</c>), compared ignoring case.</summary>
    string Name { get; }

    /// <summary>Creates the adapter.</summary>
    /// <param name="options">The preset's options, filled from the client's configuration.</param>
    /// <param name="httpClient">The HTTP client to send with (not disposed by the adapter).</param>
    /// <returns>The adapter; the caller disposes of it.</returns>
    IChatClient CreateClient(OpenAICompatibleChatClientOptions options, HttpClient httpClient);
}
