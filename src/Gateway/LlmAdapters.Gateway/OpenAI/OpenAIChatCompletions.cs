// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gateway.OpenAI;

/// <summary>
/// <c>POST /v1/chat/completions</c>: OpenAI's Chat Completions wire on the server side. The request becomes M.E.AI
/// messages and options, the configured client serves it, and the reply goes back as a <c>chat.completion</c> or as
/// <c>chat.completion.chunk</c> server-sent events ending in <c>[DONE]</c>.
/// </summary>
internal static class OpenAIChatCompletions
{
    public static async Task HandleAsync(HttpContext context)
    {
        var (call, request) = await GatewayCall.OpenAsync(context, "chat.completions", GatewayJsonContext.Default.ChatCompletionRequest, r => r.Model, Map, OpenAIWire.WriteErrorAsync).ConfigureAwait(false);
        if (call is null)
        {
            return;
        }

        try
        {
            if (request!.Stream == true)
            {
                await StreamAsync(call, request.StreamOptions?.IncludeUsage == true).ConfigureAwait(false);
            }
            else if (await call.GetResponseAsync().ConfigureAwait(false) is { } response)
            {
                await call.WriteJsonAsync(ToCompletion(response, call.Client, call.Gateway.Time), GatewayJsonContext.Default.ChatCompletionResponse).ConfigureAwait(false);
            }
        }
        finally
        {
            call.Finish();
        }
    }

    /// <summary>Maps the request to M.E.AI; a <see cref="FormatException"/> names what is wrong (a 400).</summary>
    internal static (List<ChatMessage> Messages, ChatOptions Options) Map(ChatCompletionRequest request, ChatOptions options)
    {
        if (request.N is { } n && n != 1)
        {
            throw new FormatException($"n is {n}: this gateway returns one choice per request; send n=1 (or leave it out) and make {n} requests.");
        }

        if (request.Messages is not { Count: > 0 } list)
        {
            throw new FormatException("'messages' is required and must not be empty.");
        }

        var messages = new List<ChatMessage>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            messages.Add(Message(list[i], i));
        }

        options.Temperature = request.Temperature;
        options.TopP = request.TopP;
        options.MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        options.Seed = request.Seed;
        options.FrequencyPenalty = request.FrequencyPenalty;
        options.PresencePenalty = request.PresencePenalty;
        options.AllowMultipleToolCalls = request.ParallelToolCalls;
        if (request.Stop is { } stop)
        {
            options.StopSequences = stop.ValueKind switch
            {
                JsonValueKind.String => [stop.GetString()!],
                JsonValueKind.Array => [.. stop.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw new FormatException("stop must be a string or an array of strings."))],
                JsonValueKind.Null => null,
                _ => throw new FormatException("stop must be a string or an array of strings."),
            };
        }

        if (GatewayContent.Effort(request.ReasoningEffort) is { } effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = effort, Output = ReasoningOutput.Full };
        }

        if (request.Tools is { Count: > 0 } tools)
        {
            options.Tools = [.. tools.Select(Tool)];
        }

        options.ToolMode = ToolMode(request.ToolChoice);
        options.ResponseFormat = request.ResponseFormat?.Type switch
        {
            null or "text" => null,
            "json_object" => ChatResponseFormat.Json,
            "json_schema" when request.ResponseFormat.JsonSchema?.Schema is { ValueKind: JsonValueKind.Object } schema =>
                ChatResponseFormat.ForJsonSchema(schema, request.ResponseFormat.JsonSchema.Name, request.ResponseFormat.JsonSchema.Description),
            "json_schema" => throw new FormatException("response_format.json_schema.schema must be a JSON object."),
            var other => throw new FormatException($"response_format.type is '{other}': use text, json_object or json_schema."),
        };
        return (messages, options);
    }

    private static AITool Tool(OaiTool tool, int index)
    {
        if (tool.Type is not (null or "function") || tool.Function?.Name is not { Length: > 0 } name)
        {
            throw new FormatException($"tools[{index}] must be a function with a name.");
        }

        // A declaration only: the gateway never runs a tool, the call goes back to the caller.
        var schema = tool.Function.Parameters is { ValueKind: JsonValueKind.Object } parameters
            ? parameters
            : JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;
        return AIFunctionFactory.CreateDeclaration(name, tool.Function.Description, schema);
    }

    private static ChatToolMode? ToolMode(JsonElement? choice)
    {
        if (choice is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var other => throw new FormatException($"tool_choice is '{other}': use auto, none, required or a function."),
            };
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("function", out var function) &&
            function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return ChatToolMode.RequireSpecific(name.GetString()!);
        }

        throw new FormatException("tool_choice must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.");
    }

    private static ChatMessage Message(OaiMessage message, int index)
    {
        var path = $"messages[{index}]";
        switch (message.Role)
        {
            case "system" or "developer":
                return new ChatMessage(ChatRole.System, Text(message.Content, path));
            case "user":
                return new ChatMessage(ChatRole.User, UserContents(message.Content, path)) { AuthorName = message.Name };
            case "assistant":
                var contents = new List<AIContent>();
                if (!string.IsNullOrEmpty(message.ReasoningContent))
                {
                    contents.Add(new TextReasoningContent(message.ReasoningContent));
                }

                if (message.Content is { ValueKind: not JsonValueKind.Null } && Text(message.Content, path) is { Length: > 0 } text)
                {
                    contents.Add(new TextContent(text));
                }

                foreach (var (call, i) in (message.ToolCalls ?? []).Select((c, i) => (c, i)))
                {
                    if (call.Id is not { Length: > 0 } id || call.Function?.Name is not { Length: > 0 } name)
                    {
                        throw new FormatException($"{path}.tool_calls[{i}] needs an id and a function name.");
                    }

                    var arguments = GatewayContent.Arguments(call.Function.Arguments)
                        ?? throw new FormatException($"{path}.tool_calls[{i}].function.arguments is not a JSON object.");
                    contents.Add(new FunctionCallContent(id, name, arguments));
                }

                return new ChatMessage(ChatRole.Assistant, contents) { AuthorName = message.Name };
            case "tool" or "function":
                if (message.ToolCallId is not { Length: > 0 } callId)
                {
                    throw new FormatException($"{path}.tool_call_id is required for a tool message.");
                }

                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, Text(message.Content, path))]);
            default:
                throw new FormatException($"{path}.role is '{message.Role}': use system, developer, user, assistant or tool.");
        }
    }

    /// <summary>The text of a content that is a string or an array of text parts.</summary>
    private static string Text(JsonElement? content, string path)
    {
        if (content is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString()!;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            return string.Concat(element.EnumerateArray().Select(part =>
                part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                    ? text.GetString()
                    : throw new FormatException($"{path}.content may hold only text parts here.")));
        }

        throw new FormatException($"{path}.content must be a string or an array of parts.");
    }

    private static List<AIContent> UserContents(JsonElement? content, string path)
    {
        if (content is not { ValueKind: JsonValueKind.Array } parts)
        {
            return [new TextContent(Text(content, path))];
        }

        var contents = new List<AIContent>();
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text" when part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String:
                    contents.Add(new TextContent(text.GetString()));
                    break;
                case "image_url" when part.TryGetProperty("image_url", out var image) && Url(image) is { } url:
                    contents.Add(Image(url, $"{path}.content[{i}]"));
                    break;
                default:
                    throw new FormatException($"{path}.content[{i}] is not a text or image_url part with its value.");
            }

            i++;
        }

        return contents;

        static string? Url(JsonElement image) => image.ValueKind switch
        {
            JsonValueKind.String => image.GetString(),
            JsonValueKind.Object when image.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String => url.GetString(),
            _ => null,
        };
    }

    private static AIContent Image(string url, string path)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url);
            }
            catch (ArgumentException)
            {
                throw new FormatException($"{path}.image_url.url is not a valid data URI.");
            }
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new UriContent(uri, "image/*")
            : throw new FormatException($"{path}.image_url.url must be an http(s) URL or a data URI.");
    }

    private static ChatCompletionResponse ToCompletion(ChatResponse response, string client, TimeProvider time)
    {
        string? text = null;
        string? reasoning = null;
        List<OaiToolCall>? calls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text += t.Text;
                        break;
                    case TextReasoningContent r when !string.IsNullOrEmpty(r.Text):
                        reasoning += r.Text;
                        break;
                    case FunctionCallContent call:
                        (calls ??= []).Add(new OaiToolCall { Id = call.CallId, Type = "function", Function = new() { Name = call.Name, Arguments = GatewayContent.ArgumentsJson(call.Arguments) } });
                        break;
                }
            }
        }

        return new ChatCompletionResponse
        {
            Id = GatewayContent.NewId("chatcmpl-"),
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Model = response.ModelId ?? client,
            Choices = [new OaiChoice { Message = new OaiResponseMessage { Content = text ?? (calls is null ? string.Empty : null), ReasoningContent = reasoning, ToolCalls = calls }, FinishReason = OpenAIWire.FinishReason(response.FinishReason, calls is not null) }],
            Usage = OpenAIWire.Usage(response.Usage),
        };
    }

    private static async Task StreamAsync(GatewayCall call, bool includeUsage)
    {
        var (enumerator, more) = await call.StartStreamAsync().ConfigureAwait(false);
        if (enumerator is null)
        {
            return;
        }

        await using var _ = enumerator.ConfigureAwait(false);
        var id = GatewayContent.NewId("chatcmpl-");
        var created = call.Gateway.Time.GetUtcNow().ToUnixTimeSeconds();
        var sse = call.Sse();
        var model = call.Client;
        var toolIndex = 0;
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var first = true;
        try
        {
            while (more)
            {
                var update = enumerator.Current;
                model = update.ModelId ?? model;
                finish = update.FinishReason ?? finish;
                if (first)
                {
                    first = false;
                    await sse.WriteAsync(Chunk(id, created, model, new OaiDelta { Role = "assistant", Content = string.Empty }), GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
                }

                foreach (var content in update.Contents)
                {
                    if (content is FunctionCallContent checkedCall)
                    {
                        call.CheckToolCall(checkedCall);
                    }

                    OaiDelta? delta = content switch
                    {
                        TextContent { Text.Length: > 0 } t => new OaiDelta { Content = t.Text },
                        TextReasoningContent { Text.Length: > 0 } r => new OaiDelta { ReasoningContent = r.Text },
                        FunctionCallContent fc => new OaiDelta
                        {
                            ToolCalls = [new OaiToolCall { Index = toolIndex++, Id = fc.CallId, Type = "function", Function = new() { Name = fc.Name, Arguments = GatewayContent.ArgumentsJson(fc.Arguments) } }],
                        },
                        _ => null,
                    };
                    if (content is UsageContent u)
                    {
                        usage = u.Details;
                    }

                    if (delta is not null)
                    {
                        await sse.WriteAsync(Chunk(id, created, model, delta), GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
                    }
                }

                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            call.StreamCancelled();
            return;
        }
        catch (Exception ex)
        {
            // After the first byte the status is sent: the failure travels as OpenAI's in-stream error object.
            await sse.WriteAsync(OpenAIWire.ErrorBody(call.StreamFailed(ex)), GatewayJsonContext.Default.OaiErrorBody).ConfigureAwait(false);
            await sse.WriteDoneAsync().ConfigureAwait(false);
            return;
        }

        await sse.WriteAsync(new ChatCompletionChunk { Id = id, Created = created, Model = model, Choices = [new OaiChunkChoice { Delta = new OaiDelta(), FinishReason = OpenAIWire.FinishReason(finish, toolIndex > 0) }] }, GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
        if (includeUsage)
        {
            await sse.WriteAsync(new ChatCompletionChunk { Id = id, Created = created, Model = model, Choices = [], Usage = OpenAIWire.Usage(usage) ?? new OaiUsage() }, GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
        }

        await sse.WriteDoneAsync().ConfigureAwait(false);
    }

    private static ChatCompletionChunk Chunk(string id, long created, string model, OaiDelta delta) =>
        new() { Id = id, Created = created, Model = model, Choices = [new OaiChunkChoice { Delta = delta }] };
}
