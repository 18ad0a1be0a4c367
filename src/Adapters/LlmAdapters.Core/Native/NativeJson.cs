// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>JSON helpers of the request and response mappings, for adapter authors.</summary>
public static class NativeJson
{
    private static readonly JsonSerializerOptions s_compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>Gets the wire name of a message role: <c>system</c>, <c>assistant</c>, <c>tool</c>, <c>user</c>, or the role's own value.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The lowercase name the chat-style APIs (Ollama, DashScope, OpenAI) use.</returns>
    public static string RoleName(ChatRole role) =>
        role == ChatRole.System ? "system"
        : role == ChatRole.Assistant ? "assistant"
        : role == ChatRole.Tool ? "tool"
        : role == ChatRole.User ? "user"
        : role.Value;

    /// <summary>Gets the text a function result is sent as: a string as it is, anything else as compact JSON (M.E.AI's serializer options).</summary>
    /// <param name="result">The <see cref="FunctionResultContent.Result"/>.</param>
    /// <returns>The text; empty for <see langword="null"/>.</returns>
    public static string FunctionResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } s => s.GetString() ?? string.Empty,
        _ => JsonSerializer.Serialize(result, s_compact.GetTypeInfo(result.GetType())),
    };

    /// <summary>Converts a value to a <see cref="JsonElement"/> with M.E.AI's serializer options (a <see cref="JsonElement"/> is returned as it is).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The element; <see langword="default"/> (undefined, not written) for <see langword="null"/>.</returns>
    public static JsonElement ToElement(object? value) => value switch
    {
        JsonElement element => element,
        null => default,
        _ => JsonSerializer.SerializeToElement(value, s_compact.GetTypeInfo(value.GetType())),
    };

    /// <summary>
    /// Sets the sampling options a chat-style API takes by their common names, each only when it has a value:
    /// <c>temperature</c>, <c>top_p</c>, <c>top_k</c>, the output-token limit, <c>seed</c>, <c>frequency_penalty</c>,
    /// <c>presence_penalty</c> and <c>stop</c> (an array).
    /// </summary>
    /// <param name="parameters">The parameter map (e.g. Ollama's <c>options</c>, DashScope's <c>parameters</c>).</param>
    /// <param name="options">The request's options.</param>
    /// <param name="maxOutputTokensName">The provider's name for <see cref="ChatOptions.MaxOutputTokens"/> (<c>num_predict</c>, <c>max_tokens</c>).</param>
    public static void SetSamplingOptions(IDictionary<string, JsonElement> parameters, ChatOptions? options, string maxOutputTokensName)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrEmpty(maxOutputTokensName);
        SetIfPresent(parameters, "temperature", options?.Temperature);
        SetIfPresent(parameters, "top_p", options?.TopP);
        SetIfPresent(parameters, "top_k", options?.TopK);
        SetIfPresent(parameters, maxOutputTokensName, options?.MaxOutputTokens);
        SetIfPresent(parameters, "seed", options?.Seed);
        SetIfPresent(parameters, "frequency_penalty", options?.FrequencyPenalty);
        SetIfPresent(parameters, "presence_penalty", options?.PresencePenalty);
        if (options?.StopSequences is { Count: > 0 } stops)
        {
            parameters["stop"] = ToElement(stops.ToArray());
        }
    }

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
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON, or not a JSON object (a string, an array, a number: never read as "no arguments").</exception>
    public static Dictionary<string, object?> ParseArguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (ArgumentsError(document.RootElement) is { } error)
        {
            throw error;
        }

        return ParseArguments(document.RootElement);
    }

    /// <summary>
    /// Says what is wrong with a tool call's arguments value: the one rule every adapter follows, so that arguments of the
    /// wrong JSON type become the call's <see cref="FunctionCallContent.Exception"/> and the tool never runs with none.
    /// </summary>
    /// <param name="arguments">The arguments value as the provider sent it; absent or JSON <c>null</c> means no arguments.</param>
    /// <returns><see langword="null"/> for an object, an absent value or <c>null</c>; otherwise the exception to set on the call.</returns>
    public static JsonException? ArgumentsError(JsonElement? arguments) =>
        arguments is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null) } value
            ? new JsonException($"The tool call's arguments are a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not an object.")
            : null;

    /// <summary>Sets <see cref="FunctionCallContent.Exception"/> when the call's arguments value is not a JSON object (see <see cref="ArgumentsError"/>).</summary>
    /// <param name="call">The call, made with <see cref="ParseArguments(JsonElement?)"/>'s arguments.</param>
    /// <param name="arguments">The arguments value as the provider sent it.</param>
    /// <returns><paramref name="call"/>.</returns>
    public static FunctionCallContent WithArgumentsCheck(FunctionCallContent call, JsonElement? arguments)
    {
        ArgumentNullException.ThrowIfNull(call);
        call.Exception ??= ArgumentsError(arguments);
        return call;
    }

    private static void SetIfPresent<T>(IDictionary<string, JsonElement> parameters, string name, T? value)
        where T : struct
    {
        if (value is { } v)
        {
            parameters[name] = ToElement(v);
        }
    }
}
