// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// Which <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> names are sent as top-level request fields, by
/// both implementations (the native writer and LlmAdapters.OpenAI.Sdk's patch): plain JSON names only; dotted names
/// (<c>llmadapters.tenant</c>) stay local to the pipeline.
/// </summary>
internal static class ExtraBodyFieldNames
{
    /// <summary>Whether a name is a plain JSON field name (letters, digits, <c>_</c>, <c>-</c>); dotted names stay local.</summary>
    /// <param name="name">The property name.</param>
    /// <returns><see langword="true"/> when it is sent.</returns>
    public static bool IsSendable(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
