// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>A scripted reply: the emulator answers the next request with it instead of its deterministic model.</summary>
public sealed class EmulatorReply
{
    /// <summary>Gets or sets the dialect the reply applies to, or <see langword="null"/> for any.</summary>
    public string? Dialect { get; set; }

    /// <summary>Gets or sets the reply text.</summary>
    public string? Text { get; set; }

    /// <summary>Gets or sets the reasoning (thinking) text, if any.</summary>
    public string? Reasoning { get; set; }

    /// <summary>Gets the tool calls to make.</summary>
    public IList<EmulatorToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets or sets the finish reason (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>), or <see langword="null"/> to derive it.</summary>
    public string? FinishReason { get; set; }

    /// <summary>Gets or sets the input token count to report, or <see langword="null"/> to count.</summary>
    public int? InputTokens { get; set; }

    /// <summary>Gets or sets the output token count to report, or <see langword="null"/> to count.</summary>
    public int? OutputTokens { get; set; }

    /// <summary>Gets or sets the model id the response names, or <see langword="null"/> for the requested one (a provider may answer with another id).</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the service tier the response reports (OpenAI: <c>service_tier</c> of the response and each chunk; Anthropic: <c>usage.service_tier</c>), or <see langword="null"/> for none.</summary>
    public string? ServiceTier { get; set; }

    /// <summary>Gets or sets a JSON object whose members are added to the dialect's usage object (e.g. Anthropic's <c>cache_creation</c> TTL split), or <see langword="null"/>.</summary>
    public string? UsageJson { get; set; }
    /// <summary>Gets or sets how many requests the reply answers (a model that keeps answering the same way).</summary>
    /// <value>The default value is 1.</value>
    public int Times { get; set; } = 1;
}
