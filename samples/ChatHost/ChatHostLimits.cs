// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The limits the chat endpoints enforce on what a caller sends, read from the <c>ChatHost</c> section.</summary>
internal sealed class ChatHostLimits
{
    /// <summary>The configuration key of <see cref="MaxPromptCharacters"/>.</summary>
    public const string MaxPromptCharactersKey = "ChatHost:MaxPromptCharacters";

    /// <summary>The default of <see cref="MaxPromptCharacters"/>: about 8,000 tokens of English.</summary>
    public const int DefaultMaxPromptCharacters = 32_000;

    /// <summary>Gets the most characters a request's prompt and messages may hold together; a larger request is answered 413.</summary>
    public int MaxPromptCharacters { get; init; } = DefaultMaxPromptCharacters;

    /// <summary>Reads the limits; a value that is not a positive whole number fails the start with a message naming the key.</summary>
    public static ChatHostLimits From(IConfiguration configuration)
    {
        var text = configuration[MaxPromptCharactersKey];
        if (text is null)
        {
            return new ChatHostLimits();
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) && max > 0
            ? new ChatHostLimits { MaxPromptCharacters = max }
            : throw new InvalidOperationException($"Configuration key '{MaxPromptCharactersKey}' is '{text}': give a whole number of characters from 1 to {int.MaxValue}.");
    }
}
