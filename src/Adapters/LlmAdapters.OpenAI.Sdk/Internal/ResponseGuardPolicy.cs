// Licensed under the MIT License.

using System.ClientModel.Primitives;
using System.Text.Json;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// Stands between the SDK and the transport: caps the size of every response body, and checks that a successful
/// non-streaming body is a chat completion before the SDK parses it, so that an empty, cut or wrongly shaped 200 becomes
/// a <see cref="ChatProviderException"/> of a definite kind instead of whatever the SDK's parser throws.
/// </summary>
internal sealed class ResponseGuardPolicy(string providerName, string? apiKey, long? maxResponseBytes, TimeSpan networkTimeout) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        throw new NotSupportedException("The adapter only calls the SDK asynchronously.");

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var buffer = message.BufferResponse;

        // The transport would buffer the whole body before any check could run: this policy buffers it, through the cap.
        message.BufferResponse = false;
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        message.BufferResponse = buffer;
        if (message.Response is not { } response)
        {
            return;
        }

        if (maxResponseBytes is { } max && response.ContentStream is { } stream)
        {
            if (response.Headers.TryGetValue("Content-Length", out var length) && long.TryParse(length, out var declared) && declared > max)
            {
                stream.Dispose();
                throw TooLarge(max);
            }

            response.ContentStream = new LimitedReadStream(stream, max, () => TooLarge(max));
        }

        if (!response.IsError && response.ContentStream is { } content)
        {
            // Invalid UTF-8 is Unknown, as on the native path, not decoded to U+FFFD by the SDK's readers (issue 20).
            response.ContentStream = new Utf8ValidatingStream(content, () => LlmAdapters.Native.NativeErrors.InvalidUtf8(providerName, (System.Net.HttpStatusCode)response.Status));

            // A streaming call watches for its terminal event, [DONE], as the native decoder requires it (issue 20, N11).
            if (!buffer && SseDoneWatch.Current is { } watch)
            {
                response.ContentStream = new SseDoneWatchingStream(response.ContentStream, watch);
            }
        }

        if (!buffer)
        {
            return;
        }

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(message.CancellationToken))
        {
            if (networkTimeout != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(networkTimeout);
            }

            await response.BufferContentAsync(timeout.Token).ConfigureAwait(false);
        }

        if (!response.IsError && CheckCompletion(response.Content.ToMemory().Span) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>Checks a successful non-streaming body; returns the exception to throw, or <see langword="null"/> when it is a chat completion.</summary>
    internal ChatProviderException? CheckCompletion(ReadOnlySpan<byte> body)
    {
        if (IsBlank(body))
        {
            return Transient("The provider answered 200 with an empty body.");
        }

        if (IsCut(body))
        {
            return Transient("The provider's response ended in the middle of its JSON (a cut connection?).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            // Malformed JSON or invalid UTF-8: the same bytes would come back, so waiting does not help.
            return Shape("The provider answered 200 with a body that is not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
            {
                return ChatProviderErrors.FromErrorPayload(providerName, SecretRedactor.Redact(root.GetRawText(), apiKey)!);
            }

            return ShapeProblem(root) is { } problem ? Shape("The provider answered 200 with a body that is not a chat completion: " + problem, null) : null;
        }
    }

    private static bool HasResult(JsonElement message)
    {
        foreach (var name in (ReadOnlySpan<string>)["content", "refusal", "reasoning_content", "reasoning"])
        {
            if (message.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String && value.GetString() is { Length: > 0 })
            {
                return true;
            }

            if (message.TryGetProperty(name, out value) && value.ValueKind is JsonValueKind.Array && value.GetArrayLength() > 0)
            {
                return true;
            }
        }

        return (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0)
            || (message.TryGetProperty("function_call", out var call) && call.ValueKind == JsonValueKind.Object)
            || (message.TryGetProperty("audio", out var audio) && audio.ValueKind == JsonValueKind.Object);
    }

    private static string? ShapeProblem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return $"the body is a JSON {root.ValueKind}, not an object.";
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return "it has no 'choices' array.";
        }

        if (choices.GetArrayLength() == 0)
        {
            return "its 'choices' array is empty.";
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.ValueKind != JsonValueKind.Object)
            {
                return "a choice is not an object.";
            }

            if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            {
                return "a choice has no 'message' object.";
            }

            if (message.TryGetProperty("content", out var content) && content.ValueKind is not (JsonValueKind.String or JsonValueKind.Null or JsonValueKind.Array))
            {
                return $"a message's 'content' is a JSON {content.ValueKind}, not a string.";
            }

            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return $"a choice's 'finish_reason' is a JSON {finish.ValueKind}, not a string.";
            }

            // The kit's rule (NativeResults): no content and no finish reason is no result. Read here, on the JSON, because
            // the SDK reads an absent finish_reason as "stop" (issue 20, N6).
            if (finish.ValueKind != JsonValueKind.String && !HasResult(message))
            {
                return "a choice carries no result: no content and no finish reason.";
            }
        }

        return root.TryGetProperty("usage", out var usage) && usage.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
            ? $"its 'usage' is a JSON {usage.ValueKind}, not an object."
            : null;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.Trim(" \t\r\n"u8).IsEmpty;

    // A body that is valid as far as it goes but ends inside a value was cut in transit: a transport fault, not a shape.
    private static bool IsCut(ReadOnlySpan<byte> body)
    {
        body = body.TrimStart(" \t\r\n"u8);
        if (body.IsEmpty || body[0] is not ((byte)'{' or (byte)'['))
        {
            return false;
        }

        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false;
                }
            }

            return reader.CurrentDepth > 0 || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ChatProviderException Transient(string message) =>
        new(ChatProviderErrorKind.Unavailable, providerName, message, System.Net.HttpStatusCode.OK);

    private ChatProviderException Shape(string message, Exception? inner) =>
        new(ChatProviderErrorKind.Unknown, providerName, message, System.Net.HttpStatusCode.OK, inner) { IsTransient = false };

    private ChatProviderException TooLarge(long max) =>
        new(ChatProviderErrorKind.Unknown, providerName, $"The response is larger than the {max}-byte limit (OpenAICompatibleChatClientOptions.MaxResponseBytes).")
        {
            IsTransient = false,
        };
}
