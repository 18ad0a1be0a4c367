// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>The fixed names and defaults of the Anthropic adapter (docs/providers.md lists them).</summary>
internal static class AnthropicConstants
{
    /// <summary>The provider name, in metadata and errors.</summary>
    public const string ProviderName = "anthropic";

    /// <summary>The path of the Messages API under the endpoint.</summary>
    public const string MessagesPath = "v1/messages";

    /// <summary>The name of the forced tool that carries a structured answer when native structured output is not used.</summary>
    public const string ResponseToolName = "json_response";

    /// <summary>The property that wraps a non-object answer schema in the forced response tool.</summary>
    public const string ResponseToolValueProperty = "value";

    /// <summary>The smallest thinking budget the API accepts.</summary>
    public const int MinThinkingBudget = 1024;

    /// <summary>The thinking budget of <see cref="ReasoningEffort.Low"/>.</summary>
    public const int LowThinkingBudget = 1024;

    /// <summary>The thinking budget of <see cref="ReasoningEffort.Medium"/>.</summary>
    public const int MediumThinkingBudget = 4096;

    /// <summary>The thinking budget of <see cref="ReasoningEffort.High"/>.</summary>
    public const int HighThinkingBudget = 16384;

    /// <summary>The thinking budget of <see cref="ReasoningEffort.ExtraHigh"/>.</summary>
    public const int ExtraHighThinkingBudget = 24576;

    /// <summary>The type of the hosted web search tool.</summary>
    public const string WebSearchToolType = "web_search_20250305";

    /// <summary>Gets the thinking budget of an effort.</summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The budget in tokens.</returns>
    public static int ThinkingBudget(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.Low => LowThinkingBudget,
        ReasoningEffort.Medium => MediumThinkingBudget,
        ReasoningEffort.High => HighThinkingBudget,
        _ => ExtraHighThinkingBudget,
    };

    /// <summary>Gets whether a model has native structured output (<c>output_config.format</c>).</summary>
    /// <param name="model">The model id.</param>
    /// <returns><see langword="false"/> for the models known to lack it; <see langword="true"/> otherwise.</returns>
    public static bool HasNativeStructuredOutput(string model) =>
        !(model.StartsWith("claude-3", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-2", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-instant", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-sonnet-4-0", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-sonnet-4-2025", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-opus-4-0", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-opus-4-1", StringComparison.OrdinalIgnoreCase) ||
          model.StartsWith("claude-opus-4-2025", StringComparison.OrdinalIgnoreCase));
}
