// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters;

/// <summary>
/// What a provider's error body says, read from any of the envelopes the supported providers use:
/// OpenAI and compatible servers (<c>{"error":{"message","type","code"}}</c>), vLLM's flat envelope
/// (<c>{"object":"error","message","type","code"}</c>), Anthropic (<c>{"type":"error","error":{"type","message"},"request_id"}</c>),
/// Gemini (<c>{"error":{"code","message","status","details"}}</c>, also wrapped in an array), DashScope native
/// (<c>{"code","message","request_id"}</c>) and Ollama (<c>{"error":"message"}</c>).
/// </summary>
/// <param name="Type">The provider's error type or status word, if any.</param>
/// <param name="Code">The provider's error code, if any.</param>
/// <param name="Message">The provider's message, if any (not yet redacted).</param>
/// <param name="RequestId">The request id found in the body, if any.</param>
/// <param name="RetryAfter">A retry delay found in the body (Gemini <c>RetryInfo.retryDelay</c>), if any.</param>
internal sealed record ProviderErrorInfo(string? Type, string? Code, string? Message, string? RequestId, TimeSpan? RetryAfter)
{
    /// <summary>Reads an error body. Never throws: a body that is not JSON becomes its text as the message.</summary>
    /// <param name="body">The response body, or <see langword="null"/>.</param>
    /// <returns>What the body says.</returns>
    public static ProviderErrorInfo Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null, null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, body.Trim(), null, null);
            }

            var requestId = GetString(root, "request_id") ?? GetString(root, "requestId");
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return new(null, null, error.GetString(), requestId, null);
                }

                if (error.ValueKind == JsonValueKind.Object)
                {
                    // Gemini's "status" is a word (INVALID_ARGUMENT); Azure OpenAI echoes the HTTP status there as a number.
                    var type = GetString(error, "type") ?? (error.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null);
                    var code = GetString(error, "code");
                    return new(type, code, GetString(error, "message"), requestId, ReadGoogleRetryDelay(error));
                }
            }

            // Flat envelopes: vLLM ({"object":"error",...}) and DashScope native ({"code","message"}).
            return new(GetString(root, "type"), GetString(root, "code"), GetString(root, "message") ?? GetString(root, "msg"), requestId, null);
        }
        catch (JsonException)
        {
            return new(null, null, body.Trim(), null, null);
        }
    }

    private static string? GetString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static TimeSpan? ReadGoogleRetryDelay(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind == JsonValueKind.Object &&
                GetString(detail, "@type") is { } type && type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) &&
                GetString(detail, "retryDelay") is { } delay)
            {
                return RetryAfterParser.ParseDuration(delay);
            }
        }

        return null;
    }
}
