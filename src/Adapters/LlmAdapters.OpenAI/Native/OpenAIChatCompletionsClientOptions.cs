// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Native;

/// <summary>The options of <see cref="OpenAIChatCompletionsClient"/>: the common OpenAI-compatible options and the native path's own.</summary>
public sealed class OpenAIChatCompletionsClientOptions
{
    /// <summary>Gets or sets the options both implementations share (provider, endpoint, key, model, timeouts, limits).</summary>
    /// <value>The default value is a new <see cref="OpenAICompatibleChatClientOptions"/>.</value>
    public OpenAICompatibleChatClientOptions Common { get; set; } = new();

    /// <summary>Gets or sets a value indicating whether <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/> is sent as
    /// <c>max_tokens</c> (older servers) instead of <c>max_completion_tokens</c>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseMaxTokens { get; set; }

    /// <summary>
    /// Gets or sets the <c>service_tier</c> sent with every request (<c>flex</c>, <c>priority</c>, <c>default</c>, <c>auto</c>), unless
    /// the call sets its own in <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> (<c>service_tier</c>). The tier
    /// the response reports is surfaced as the response's <c>service_tier</c> additional property, and priced (docs/cost.md).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: none is sent (the provider's default tier).</value>
    public string? ServiceTier { get; set; }
}
