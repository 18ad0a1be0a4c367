// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Native;

/// <summary>Chooses between the native and the SDK implementation of an OpenAI-compatible preset.</summary>
internal static class OpenAIImplementationSelector
{
    /// <summary>The value of <c>Implementation</c> for <see cref="OpenAIChatCompletionsClient"/>.</summary>
    public const string Native = "native";

    /// <summary>The value of <c>Implementation</c> for <see cref="OpenAICompatibleChatClient"/>.</summary>
    public const string Sdk = "sdk";

    /// <summary>Gets whether a preset uses the native implementation.</summary>
    /// <param name="providerName">The preset's name.</param>
    /// <param name="configured">The configured <c>Implementation</c>, or <see langword="null"/> for the preset's default.</param>
    /// <returns><see langword="true"/> for native.</returns>
    /// <exception cref="ArgumentException"><paramref name="configured"/> is neither <c>native</c> nor <c>sdk</c>.</exception>
    public static bool UseNative(string providerName, string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return IsNativeByDefault(providerName);
        }

        if (string.Equals(configured, Native, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(configured, Sdk, StringComparison.OrdinalIgnoreCase)
            ? false
            : throw new ArgumentException($"Implementation must be '{Native}' or '{Sdk}', not '{configured}'.", nameof(configured));
    }

    /// <summary>Gets whether a preset is native by default: every compatible server; <c>openai</c> stays on the SDK.</summary>
    /// <param name="providerName">The preset's name.</param>
    /// <returns><see langword="true"/> for native.</returns>
    public static bool IsNativeByDefault(string providerName) => !string.Equals(providerName, "openai", StringComparison.OrdinalIgnoreCase);
}
