// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gateway;

/// <summary>Conversions both front doors share: tool arguments, finish reasons, reasoning effort, ids.</summary>
internal static class GatewayContent
{
    // M.E.AI's options (its resolver for argument values), written on one line as the wires send arguments.
    private static readonly JsonSerializerOptions s_arguments = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>Parses a JSON object of tool arguments; <see langword="null"/> when it is not an object.</summary>
    public static Dictionary<string, object?>? Arguments(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }

    /// <summary>Parses tool arguments sent as a JSON string (OpenAI's wire); <see langword="null"/> when not a JSON object.</summary>
    public static Dictionary<string, object?>? Arguments(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return Arguments(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes tool arguments as a JSON object (<c>{}</c> when there are none).</summary>
    public static string ArgumentsJson(IDictionary<string, object?>? arguments) =>
        arguments is null || arguments.Count == 0
            ? "{}"
            : JsonSerializer.Serialize(arguments, s_arguments.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>Writes tool arguments as a JSON element.</summary>
    public static JsonElement ArgumentsElement(IDictionary<string, object?>? arguments)
    {
        using var document = JsonDocument.Parse(ArgumentsJson(arguments));
        return document.RootElement.Clone();
    }

    /// <summary>Maps a reasoning effort word (OpenAI's <c>reasoning_effort</c>) to M.E.AI's.</summary>
    public static ReasoningEffort? Effort(string? effort) => effort?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "NONE" => ReasoningEffort.None,
        "MINIMAL" or "LOW" => ReasoningEffort.Low,
        "MEDIUM" => ReasoningEffort.Medium,
        "HIGH" => ReasoningEffort.High,
        "XHIGH" => ReasoningEffort.ExtraHigh,
        _ => throw new FormatException($"reasoning_effort is '{effort}': use none, minimal, low, medium, high or xhigh."),
    };

    /// <summary>A new id with a wire's prefix.</summary>
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");

    /// <summary>The text of a tool result (what the caller sent, as a string).</summary>
    public static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement e => e.GetRawText(),
        _ => result.ToString() ?? string.Empty,
    };
}
