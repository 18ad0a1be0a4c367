// Licensed under the MIT License.

namespace LlmAdapters.Gemini.Internal;

/// <summary>Names and numbers of the Gemini API.</summary>
internal static class GeminiConstants
{
    /// <summary>The provider name in exceptions and in Hosting.</summary>
    public const string ProviderName = "gemini";

    /// <summary>The provider name in <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/> (OpenTelemetry's <c>gen_ai.provider.name</c>).</summary>
    public const string MetadataProviderName = "gcp.gemini";

    /// <summary>The prefix of the call ids this adapter makes up when the API sends none; such ids are never sent back.</summary>
    public const string GeneratedCallIdPrefix = "gemini-call-";

    /// <summary>The member that wraps a function result that is not a JSON object (<c>functionResponse.response</c> must be one).</summary>
    public const string FunctionResultMember = "result";

    /// <summary>The member that carries a function's failure in <c>functionResponse.response</c>.</summary>
    public const string FunctionErrorMember = "error";

    /// <summary>Gets the thinking budget of an effort (Gemini 2.5 models).</summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The budget in tokens: 0 turns thinking off.</returns>
    public static int ThinkingBudget(Microsoft.Extensions.AI.ReasoningEffort effort) => effort switch
    {
        Microsoft.Extensions.AI.ReasoningEffort.None => 0,
        Microsoft.Extensions.AI.ReasoningEffort.Low => 1024,
        Microsoft.Extensions.AI.ReasoningEffort.Medium => 8192,
        Microsoft.Extensions.AI.ReasoningEffort.High => 16384,
        _ => 24576,
    };

    /// <summary>Gets the thinking level of an effort (Gemini 3 models: <c>low</c> or <c>high</c>; <c>minimal</c> on Flash).</summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The level.</returns>
    public static string ThinkingLevel(Microsoft.Extensions.AI.ReasoningEffort effort) => effort switch
    {
        Microsoft.Extensions.AI.ReasoningEffort.None => "minimal",
        Microsoft.Extensions.AI.ReasoningEffort.Low => "low",
        Microsoft.Extensions.AI.ReasoningEffort.Medium => "medium",
        _ => "high",
    };
}
