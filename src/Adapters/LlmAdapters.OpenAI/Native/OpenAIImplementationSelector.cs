// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Native;

/// <summary>Chooses between the native and the SDK implementation of an OpenAI-compatible preset.</summary>
internal static class OpenAIImplementationSelector
{
    /// <summary>The value of <c>Implementation</c> for <see cref="OpenAIChatCompletionsClient"/>.</summary>
    public const string Native = "native";

    /// <summary>The value of <c>Implementation</c> for <c>OpenAICompatibleChatClient</c> (LlmAdapters.OpenAI.Sdk).</summary>
    public const string Sdk = "sdk";

    /// <summary>
    /// Gets whether a client uses the native implementation: the default of every preset, <c>openai</c> included, since every
    /// recorded OpenAI fixture maps identically on both paths (tests/LlmAdapters.OpenAI.Tests/Native/ImplementationParityTests);
    /// <c>sdk</c> keeps Microsoft.Extensions.AI.OpenAI for what only it maps (the Responses API, audio, logprobs).
    /// </summary>
    /// <param name="configured">The configured <c>Implementation</c>, or <see langword="null"/> for the default.</param>
    /// <returns><see langword="true"/> for native.</returns>
    /// <exception cref="ArgumentException"><paramref name="configured"/> is neither <c>native</c> nor <c>sdk</c>.</exception>
    public static bool UseNative(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return true;
        }

        if (string.Equals(configured, Native, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(configured, Sdk, StringComparison.OrdinalIgnoreCase)
            ? false
            : throw new ArgumentException($"Implementation must be '{Native}' or '{Sdk}', not '{configured}'.", nameof(configured));
    }
}
