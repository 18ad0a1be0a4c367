// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gateway.Anthropic;

/// <summary>
/// <c>POST /v1/messages</c>: Anthropic's Messages wire on the server side, JSON or the SSE event sequence
/// (<c>message_start</c>, <c>content_block_start</c>/<c>_delta</c>/<c>_stop</c> per block, <c>message_delta</c>,
/// <c>message_stop</c>; <c>error</c> after the first byte). Any <c>anthropic-version</c> is accepted.
/// </summary>
internal static class AnthropicMessages
{
    public static async Task HandleAsync(HttpContext context)
    {
        var (call, request) = await GatewayCall.OpenAsync(context, "messages", GatewayJsonContext.Default.MessagesRequest, r => r.Model, Map, WriteErrorAsync).ConfigureAwait(false);
        if (call is null)
        {
            return;
        }

        try
        {
            if (request!.Stream == true)
            {
                await StreamAsync(call).ConfigureAwait(false);
            }
            else if (await call.GetResponseAsync().ConfigureAwait(false) is { } response)
            {
                await call.WriteJsonAsync(ToMessage(response, call.Client), GatewayJsonContext.Default.AntMessageResponse).ConfigureAwait(false);
            }
        }
        finally
        {
            call.Finish();
        }
    }

    private static AntMessageResponse ToMessage(ChatResponse response, string client)
    {
        var blocks = new List<AntBlock>();
        foreach (var content in response.Messages.SelectMany(m => m.Contents))
        {
            switch (content)
            {
                case TextReasoningContent r:
                    blocks.Add(new AntBlock { Type = "thinking", Thinking = r.Text ?? string.Empty, Signature = r.ProtectedData ?? string.Empty });
                    break;
                case TextContent t when t.Text.Length > 0:
                    if (blocks.Count > 0 && blocks[^1].Type == "text")
                    {
                        blocks[^1] = new AntBlock { Type = "text", Text = blocks[^1].Text + t.Text };
                    }
                    else
                    {
                        blocks.Add(new AntBlock { Type = "text", Text = t.Text });
                    }

                    break;
                case FunctionCallContent call:
                    blocks.Add(new AntBlock { Type = "tool_use", Id = call.CallId, Name = call.Name, Input = GatewayContent.ArgumentsElement(call.Arguments) });
                    break;
            }
        }

        return new AntMessageResponse
        {
            Id = GatewayContent.NewId("msg_"),
            Model = response.ModelId ?? client,
            Content = blocks,
            StopReason = StopReason(response.FinishReason, blocks.Any(b => b.Type == "tool_use")),
            Usage = Usage(response.Usage),
        };
    }

    internal static (List<ChatMessage> Messages, ChatOptions Options) Map(MessagesRequest request, ChatOptions options)
    {
        if (request.Messages is not { Count: > 0 } list)
        {
            throw new FormatException("messages: field required (at least one message).");
        }

        if (request.MaxTokens is not { } maxTokens || maxTokens < 1)
        {
            throw new FormatException("max_tokens: field required (a positive number of tokens).");
        }

        var messages = new List<ChatMessage>();
        if (request.System is { } system && system.ValueKind != JsonValueKind.Null)
        {
            messages.Add(new ChatMessage(ChatRole.System, SystemText(system)));
        }

        for (var i = 0; i < list.Count; i++)
        {
            AddMessage(messages, list[i], $"messages.{i}");
        }

        options.MaxOutputTokens = maxTokens;
        options.Temperature = request.Temperature;
        options.TopP = request.TopP;
        options.TopK = request.TopK;
        options.StopSequences = request.StopSequences;
        if (request.Thinking is { Type: "enabled" } thinking)
        {
            options.Reasoning = new ReasoningOptions
            {
                Effort = thinking.BudgetTokens switch { < 4096 => ReasoningEffort.Low, < 16384 => ReasoningEffort.Medium, _ => ReasoningEffort.High },
                Output = ReasoningOutput.Full,
            };
        }

        if (request.Tools is { Count: > 0 } tools)
        {
            options.Tools = [.. tools.Select((tool, i) =>
                tool.Name is { Length: > 0 } name && tool.Type is null or "custom"
                    ? AIFunctionFactory.CreateDeclaration(name, tool.Description, tool.InputSchema is { ValueKind: JsonValueKind.Object } schema ? schema : JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement)
                    : throw new FormatException($"tools.{i}: a custom tool with a name and an input_schema is required (server tools are not served by this gateway)."))];
        }

        options.ToolMode = request.ToolChoice?.Type switch
        {
            null => null,
            "auto" => ChatToolMode.Auto,
            "any" => ChatToolMode.RequireAny,
            "none" => ChatToolMode.None,
            "tool" when request.ToolChoice.Name is { Length: > 0 } name => ChatToolMode.RequireSpecific(name),
            var other => throw new FormatException($"tool_choice.type is '{other}': use auto, any, none or tool (with its name)."),
        };
        return (messages, options);
    }

    private static string SystemText(JsonElement system) => system.ValueKind switch
    {
        JsonValueKind.String => system.GetString()!,
        JsonValueKind.Array => string.Join("\n", system.EnumerateArray().Select(b =>
            b.ValueKind == JsonValueKind.Object && b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : throw new FormatException("system: text blocks only."))),
        _ => throw new FormatException("system must be a string or an array of text blocks."),
    };

    private static void AddMessage(List<ChatMessage> messages, AntMessage message, string path)
    {
        var role = message.Role switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw new FormatException($"{path}.role: '{message.Role}' is not user or assistant."),
        };
        if (message.Content is not { } content || content.ValueKind == JsonValueKind.Null)
        {
            throw new FormatException($"{path}.content: field required.");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessage(role, content.GetString()));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}.content must be a string or an array of blocks.");
        }

        var contents = new List<AIContent>();
        var results = new List<AIContent>();
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var where = $"{path}.content.{i++}";
            var type = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "text":
                    contents.Add(new TextContent(String(block, "text", where)));
                    break;
                case "image":
                    contents.Add(Image(block, where));
                    break;
                case "thinking":
                    contents.Add(new TextReasoningContent(String(block, "thinking", where)) { ProtectedData = block.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null });
                    break;
                case "redacted_thinking":
                    contents.Add(new TextReasoningContent(string.Empty) { ProtectedData = String(block, "data", where) });
                    break;
                case "tool_use":
                    var input = block.TryGetProperty("input", out var inp) ? GatewayContent.Arguments(inp) : [];
                    contents.Add(new FunctionCallContent(String(block, "id", where), String(block, "name", where), input ?? throw new FormatException($"{where}.input must be an object.")));
                    break;
                case "tool_result":
                    var text = block.TryGetProperty("content", out var c) ? c.ValueKind switch
                    {
                        JsonValueKind.String => c.GetString()!,
                        JsonValueKind.Array => string.Concat(c.EnumerateArray().Select(p => p.TryGetProperty("text", out var pt) && pt.ValueKind == JsonValueKind.String ? pt.GetString() : string.Empty)),
                        _ => string.Empty,
                    } : string.Empty;
                    var isError = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
                    results.Add(new FunctionResultContent(String(block, "tool_use_id", where), isError ? "Error: " + text : text));
                    break;
                default:
                    throw new FormatException($"{where}.type: '{type}' is not served by this gateway (text, image, thinking, tool_use, tool_result).");
            }
        }

        // M.E.AI carries tool results in tool messages: they come first, as the caller's turn answers the calls.
        if (results.Count > 0)
        {
            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }

        if (contents.Count > 0 || results.Count == 0)
        {
            messages.Add(new ChatMessage(role, contents));
        }
    }

    private static string String(JsonElement block, string name, string path) =>
        block.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{path}.{name}: field required.");

    private static AIContent Image(JsonElement block, string path)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}.source: field required.");
        }

        var type = String(source, "type", path + ".source");
        if (type == "base64")
        {
            try
            {
                return new DataContent(Convert.FromBase64String(String(source, "data", path + ".source")), String(source, "media_type", path + ".source"));
            }
            catch (System.FormatException)
            {
                throw new FormatException($"{path}.source.data is not valid base64.");
            }
        }

        if (type == "url" && Uri.TryCreate(String(source, "url", path + ".source"), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new UriContent(uri, "image/*");
        }

        throw new FormatException($"{path}.source.type must be base64 or url (with an http(s) URL).");
    }

    private static string StopReason(ChatFinishReason? reason, bool hasToolUse) =>
        hasToolUse ? "tool_use" : reason == ChatFinishReason.Length ? "max_tokens" : reason == ChatFinishReason.ContentFilter ? "refusal" : "end_turn";

    private static AntUsage Usage(UsageDetails? usage) =>
        new() { InputTokens = usage?.InputTokenCount ?? 0, OutputTokens = usage?.OutputTokenCount ?? 0, CacheReadInputTokens = usage?.CachedInputTokenCount };

    private static AntEvent ErrorEvent(GatewayError error) => new() { Type = "error", Error = new AntErrorInfo { Type = error.AnthropicType, Message = error.Message } };

    public static Task WriteErrorAsync(HttpContext context, GatewayError error) =>
        GatewayCall.WriteErrorAsync(context, error, ErrorEvent(error), GatewayJsonContext.Default.AntEvent);

    private static async Task StreamAsync(GatewayCall call)
    {
        var (enumerator, more) = await call.StartStreamAsync().ConfigureAwait(false);
        if (enumerator is null)
        {
            return;
        }

        await using var _ = enumerator.ConfigureAwait(false);
        var sse = call.Sse();
        var events = GatewayJsonContext.Default.AntEvent;
        var model = enumerator.Current.ModelId ?? call.Client;
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        var index = -1;
        string? open = null;
        var toolUse = false;
        try
        {
            await sse.WriteAsync(new AntEvent { Type = "message_start", Message = new AntMessageResponse { Id = GatewayContent.NewId("msg_"), Model = model, Content = [], Usage = new AntUsage { InputTokens = 0, OutputTokens = 0 } } }, events, "message_start").ConfigureAwait(false);
            while (more)
            {
                var update = enumerator.Current;
                finish = update.FinishReason ?? finish;
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case UsageContent u:
                            usage = u.Details;
                            break;
                        case TextReasoningContent r:
                            if (open != "thinking")
                            {
                                await OpenAsync(new AntBlock { Type = "thinking", Thinking = string.Empty, Signature = string.Empty }).ConfigureAwait(false);
                            }

                            if (!string.IsNullOrEmpty(r.Text))
                            {
                                await sse.WriteAsync(new AntEvent { Type = "content_block_delta", Index = index, Delta = new AntDelta { Type = "thinking_delta", Thinking = r.Text } }, events, "content_block_delta").ConfigureAwait(false);
                            }

                            if (!string.IsNullOrEmpty(r.ProtectedData))
                            {
                                await sse.WriteAsync(new AntEvent { Type = "content_block_delta", Index = index, Delta = new AntDelta { Type = "signature_delta", Signature = r.ProtectedData } }, events, "content_block_delta").ConfigureAwait(false);
                            }

                            break;
                        case TextContent { Text.Length: > 0 } t:
                            if (open != "text")
                            {
                                await OpenAsync(new AntBlock { Type = "text", Text = string.Empty }).ConfigureAwait(false);
                            }

                            await sse.WriteAsync(new AntEvent { Type = "content_block_delta", Index = index, Delta = new AntDelta { Type = "text_delta", Text = t.Text } }, events, "content_block_delta").ConfigureAwait(false);
                            break;
                        case FunctionCallContent fc:
                            call.CheckToolCall(fc);
                            toolUse = true;
                            await OpenAsync(new AntBlock { Type = "tool_use", Id = fc.CallId, Name = fc.Name, Input = GatewayContent.ArgumentsElement(null) }).ConfigureAwait(false);
                            await sse.WriteAsync(new AntEvent { Type = "content_block_delta", Index = index, Delta = new AntDelta { Type = "input_json_delta", PartialJson = GatewayContent.ArgumentsJson(fc.Arguments) } }, events, "content_block_delta").ConfigureAwait(false);
                            await CloseAsync().ConfigureAwait(false);
                            break;
                    }
                }

                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            await CloseAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            call.StreamCancelled();
            return;
        }
        catch (Exception ex)
        {
            // After the first byte: Anthropic's error event, and no message_stop.
            await sse.WriteAsync(ErrorEvent(call.StreamFailed(ex)), events, "error").ConfigureAwait(false);
            return;
        }

        await sse.WriteAsync(new AntEvent { Type = "message_delta", Delta = new AntDelta { Type = null, StopReason = StopReason(finish, toolUse) }, Usage = Usage(usage) }, events, "message_delta").ConfigureAwait(false);
        await sse.WriteAsync(new AntEvent { Type = "message_stop" }, events, "message_stop").ConfigureAwait(false);

        async Task OpenAsync(AntBlock block)
        {
            await CloseAsync().ConfigureAwait(false);
            index++;
            open = block.Type;
            await sse.WriteAsync(new AntEvent { Type = "content_block_start", Index = index, ContentBlock = block }, events, "content_block_start").ConfigureAwait(false);
        }

        async Task CloseAsync()
        {
            if (open is not null)
            {
                open = null;
                await sse.WriteAsync(new AntEvent { Type = "content_block_stop", Index = index }, events, "content_block_stop").ConfigureAwait(false);
            }
        }
    }
}
