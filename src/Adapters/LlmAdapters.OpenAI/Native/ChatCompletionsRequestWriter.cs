// Licensed under the MIT License.

using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Native;

/// <summary>
/// Writes a Chat Completions request body straight to UTF-8 with <see cref="Utf8JsonWriter"/>: the same fields as
/// Microsoft.Extensions.AI.OpenAI sends, plus <see cref="ChatOptions.AdditionalProperties"/> without a dot as top-level fields
/// (DashScope <c>enable_thinking</c>, vLLM <c>top_k</c>), and <c>max_tokens</c> instead of <c>max_completion_tokens</c> for
/// servers that only know the older name.
/// </summary>
internal static class ChatCompletionsRequestWriter
{
    public static byte[] Write(IEnumerable<ChatMessage> messages, ChatOptions? options, string defaultModel, bool stream, bool useMaxTokens)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, options?.ModelId ?? defaultModel);
            writer.WritePropertyName("messages"u8);
            writer.WriteStartArray();
            if (!string.IsNullOrEmpty(options?.Instructions))
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, "system"u8);
                writer.WriteString("content"u8, options.Instructions);
                writer.WriteEndObject();
            }

            foreach (var message in messages)
            {
                WriteMessage(writer, message);
            }

            writer.WriteEndArray();
            if (options is not null)
            {
                WriteOptions(writer, options, useMaxTokens);
            }

            if (stream)
            {
                writer.WriteBoolean("stream"u8, true);
                writer.WritePropertyName("stream_options"u8);
                writer.WriteStartObject();
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteOptions(Utf8JsonWriter writer, ChatOptions options, bool useMaxTokens)
    {
        if (options.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (options.TopP is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (options.MaxOutputTokens is { } maxTokens)
        {
            writer.WriteNumber(useMaxTokens ? "max_tokens"u8 : "max_completion_tokens"u8, maxTokens);
        }

        if (options.FrequencyPenalty is { } frequency)
        {
            writer.WriteNumber("frequency_penalty"u8, frequency);
        }

        if (options.PresencePenalty is { } presence)
        {
            writer.WriteNumber("presence_penalty"u8, presence);
        }

        if (options.Seed is { } seed)
        {
            writer.WriteNumber("seed"u8, seed);
        }

        // ChatOptions.Reasoning as the SDK path sends it: reasoning_effort none, low, medium, high or xhigh.
        if (options.Reasoning?.Effort is { } effort)
        {
            writer.WriteString("reasoning_effort"u8, effort switch
            {
                ReasoningEffort.None => "none"u8,
                ReasoningEffort.Low => "low"u8,
                ReasoningEffort.High => "high"u8,
                ReasoningEffort.ExtraHigh => "xhigh"u8,
                _ => "medium"u8,
            });
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            writer.WritePropertyName("stop"u8);
            writer.WriteStartArray();
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        WriteResponseFormat(writer, options.ResponseFormat);
        WriteTools(writer, options);
        WriteExtraFields(writer, options.AdditionalProperties);
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        switch (format)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                writer.WritePropertyName("response_format"u8);
                writer.WriteStartObject();
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WritePropertyName("json_schema"u8);
                writer.WriteStartObject();
                writer.WriteString("name"u8, json.SchemaName ?? "json_schema");
                if (json.SchemaDescription is { } description)
                {
                    writer.WriteString("description"u8, description);
                }

                writer.WritePropertyName("schema"u8);
                schema.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                writer.WritePropertyName("response_format"u8);
                writer.WriteStartObject();
                writer.WriteString("type"u8, "json_object"u8);
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatOptions options)
    {
        var wroteAny = false;
        foreach (var tool in options.Tools ?? [])
        {
            if (tool is not AIFunctionDeclaration function)
            {
                continue;
            }

            if (!wroteAny)
            {
                writer.WritePropertyName("tools"u8);
                writer.WriteStartArray();
                wroteAny = true;
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WritePropertyName("function"u8);
            writer.WriteStartObject();
            writer.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description))
            {
                writer.WriteString("description"u8, function.Description);
            }

            writer.WritePropertyName("parameters"u8);
            function.JsonSchema.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (!wroteAny)
        {
            return;
        }

        writer.WriteEndArray();
        switch (options.ToolMode)
        {
            case NoneChatToolMode:
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                writer.WritePropertyName("tool_choice"u8);
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WritePropertyName("function"u8);
                writer.WriteStartObject();
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case RequiredChatToolMode:
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            default:
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
        }

        if (options.AllowMultipleToolCalls is { } parallel)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }
    }

    private static void WriteExtraFields(Utf8JsonWriter writer, AdditionalPropertiesDictionary? additional)
    {
        if (additional is not { Count: > 0 })
        {
            return;
        }

        foreach (var (name, value) in additional)
        {
            if (!Internal.ExtraBodyFieldNames.IsSendable(name))
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
        }
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        var role = message.Role;
        if (role == ChatRole.Tool)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    writer.WriteStartObject();
                    writer.WriteString("role"u8, "tool"u8);
                    writer.WriteString("tool_call_id"u8, result.CallId);
                    writer.WriteString("content"u8, ResultText(result.Result));
                    writer.WriteEndObject();
                }
            }

            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, role == ChatRole.System ? "system" : role == ChatRole.Assistant ? "assistant" : role.Value);
        if (message.AuthorName is { Length: > 0 } author)
        {
            writer.WriteString("name"u8, author);
        }

        if (role == ChatRole.Assistant)
        {
            var text = message.Text;
            if (text.Length > 0)
            {
                writer.WriteString("content"u8, text);
            }
            else
            {
                writer.WriteNull("content"u8);
            }

            WriteToolCalls(writer, message.Contents);
        }
        else
        {
            WriteUserContent(writer, message.Contents);
        }

        writer.WriteEndObject();
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        var wroteAny = false;
        foreach (var content in contents)
        {
            if (content is not FunctionCallContent call)
            {
                continue;
            }

            if (!wroteAny)
            {
                writer.WritePropertyName("tool_calls"u8);
                writer.WriteStartArray();
                wroteAny = true;
            }

            writer.WriteStartObject();
            writer.WriteString("id"u8, call.CallId);
            writer.WriteString("type"u8, "function"u8);
            writer.WritePropertyName("function"u8);
            writer.WriteStartObject();
            writer.WriteString("name"u8, call.Name);
            writer.WriteString(
                "arguments"u8,
                JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (wroteAny)
        {
            writer.WriteEndArray();
        }
    }

    private static void WriteUserContent(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        var onlyText = true;
        foreach (var content in contents)
        {
            if (content is not TextContent)
            {
                onlyText = false;
                break;
            }
        }

        if (onlyText)
        {
            writer.WriteString("content"u8, contents.Count == 1 ? ((TextContent)contents[0]).Text : string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
            return;
        }

        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text"u8);
                    writer.WriteString("text"u8, text.Text);
                    writer.WriteEndObject();
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    WriteImage(writer, uri.Uri.ToString());
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    WriteImage(writer, data.Uri);
                    break;
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteImage(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url"u8);
        writer.WritePropertyName("image_url"u8);
        writer.WriteStartObject();
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement element when element.ValueKind == JsonValueKind.String => element.GetString() ?? string.Empty,
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };
}
