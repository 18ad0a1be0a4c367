// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Internal;

/// <summary>The fixed names of the DashScope native adapter (docs/providers.md lists them).</summary>
internal static class DashScopeConstants
{
    /// <summary>The provider name, in metadata and errors.</summary>
    public const string ProviderName = "dashscope-native";

    /// <summary>The wire dialect, in the origin of provider-bound state (<see cref="LlmAdapters.Native.ProviderState"/>).</summary>
    public const string Dialect = "dashscope";

    /// <summary>The path of text generation under the endpoint.</summary>
    public const string TextGenerationPath = "api/v1/services/aigc/text-generation/generation";

    /// <summary>The path of multimodal generation (vision models) under the endpoint.</summary>
    public const string MultimodalGenerationPath = "api/v1/services/aigc/multimodal-generation/generation";

    /// <summary>Gets the thinking budget of an effort.</summary>
    /// <param name="effort">The effort.</param>
    /// <returns>The budget in tokens.</returns>
    public static int ThinkingBudget(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.Low => 1024,
        ReasoningEffort.Medium => 4096,
        ReasoningEffort.High => 16384,
        _ => 32768,
    };

    /// <summary>Gets whether a model is served by multimodal generation (Qwen-VL, QVQ, Qwen-Omni, Qwen-Audio).</summary>
    /// <param name="model">The model id.</param>
    /// <returns><see langword="true"/> for a vision or audio model.</returns>
    public static bool IsMultimodalModel(string model) =>
        model.Contains("-vl", StringComparison.OrdinalIgnoreCase) || model.StartsWith("qvq", StringComparison.OrdinalIgnoreCase) ||
        model.Contains("-omni", StringComparison.OrdinalIgnoreCase) || model.Contains("-audio", StringComparison.OrdinalIgnoreCase);
}
