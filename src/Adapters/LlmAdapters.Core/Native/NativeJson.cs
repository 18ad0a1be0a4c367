// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Native;

/// <summary>JSON helpers of the response mappings.</summary>
public static class NativeJson
{
    /// <summary>Reads a tool call's arguments object into arguments whose values are <see cref="JsonElement"/>s (cloned).</summary>
    /// <param name="arguments">The arguments object; anything else gives no arguments.</param>
    /// <returns>The arguments.</returns>
    public static Dictionary<string, object?> ParseArguments(JsonElement? arguments)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (arguments is { ValueKind: JsonValueKind.Object } value)
        {
            foreach (var property in value.EnumerateObject())
            {
                result[property.Name] = property.Value.Clone();
            }
        }

        return result;
    }

    /// <summary>Parses a tool call's arguments JSON text (as streamed fragments join into) like <see cref="ParseArguments(JsonElement?)"/>.</summary>
    /// <param name="json">The JSON text of an object.</param>
    /// <returns>The arguments.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static Dictionary<string, object?> ParseArguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ParseArguments(document.RootElement);
    }
}
