// Licensed under the MIT License.

namespace LlmAdapters.OpenAI;

/// <summary>Options of an <see cref="OpenAICompatibleChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only in the <c>Authorization</c> header and never logged.</remarks>
public sealed class OpenAICompatibleChatClientOptions
{
    /// <summary>Gets or sets the provider name reported in <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/> and in errors.</summary>
    /// <value>The default value is <c>openai</c>. Use <c>vllm</c>, <c>dashscope</c>, <c>ollama</c>, <c>groq</c>… for compatible servers
    /// (<see cref="OpenAICompatibleProviders"/>); any other name is accepted with an explicit <see cref="Endpoint"/>.</value>
    public string ProviderName { get; set; } = "openai";

    /// <summary>Gets or sets the base URL of the API, up to and including the version segment (e.g. <c>http://localhost:8000/v1</c>).</summary>
    /// <value>The default value is <see langword="null"/>: the <see cref="OpenAICompatibleProvider.DefaultEndpoint"/> of the preset named
    /// <see cref="ProviderName"/> (<c>https://api.openai.com/v1</c> for <c>openai</c>). It must be set for <c>vllm</c> and for names that are not presets.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key. Optional for local servers: when it is empty, no <c>Authorization</c> header is sent.
    /// It must follow <see cref="ApiKeyRules"/> (visible ASCII only), or the client's constructor throws.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the OpenAI organization id, sent as <c>OpenAI-Organization</c>.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the OpenAI project id, sent as <c>OpenAI-Project</c>.</summary>
    /// <value>The default value is <see langword="null"/>: not sent.</value>
    public string? Project { get; set; }

    /// <summary>Gets or sets the default model id, used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set. Required.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the network timeout of one HTTP exchange: the wait for the response headers, and then for each read of a streamed body.</summary>
    /// <value>The default value is 10 minutes. <see cref="Timeout.InfiniteTimeSpan"/> disables it.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the largest response body accepted, in bytes, streamed or not. A larger body fails with a
    /// non-transient <see cref="ChatProviderException"/> that names this option.</summary>
    /// <value>The default value is 32 MiB. <see langword="null"/> removes the limit.</value>
    public long? MaxResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Gets or sets the clock used to read HTTP-date <c>Retry-After</c> headers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
