// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator;

/// <summary>
/// The Anthropic Messages dialect: <c>POST /v1/messages</c>, JSON or server-sent events (message_start, content blocks
/// with text, thinking + signature and tool_use deltas, ping, message_delta, message_stop), the Anthropic error envelope
/// and the checks the real API makes (x-api-key, anthropic-version, max_tokens, thinking signatures, tool_result pairing).
/// </summary>
/// <remarks>
/// Faults: an <see cref="EmulatorFault.StatusCode"/> answers with the Anthropic error envelope (529 is <c>overloaded_error</c>).
/// A fault with an <see cref="EmulatorFault.ErrorType"/> and no status, on a streamed request, sends an SSE <c>error</c> event of that
/// type after <see cref="EmulatorFault.CutAfterChunks"/> events (default 3) and ends the stream, as the API does when it overloads mid-stream.
/// </remarks>
internal sealed class AnthropicDialect : IEmulatorDialect
{
    private const string DialectName = "anthropic";
    private const string ResponseToolFallback = "answer";

    public string Name => DialectName;

    public void Map(IEndpointRouteBuilder routes, EmulatorServer server) =>
        routes.MapPost("/v1/messages", context => HandleAsync(context, server));

    private async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var body = await EmulatorWire.ReadBodyAsync(context).ConfigureAwait(false);
        server.Record(Name, context, body);
        var fault = server.TakeFault(Name);
        if (await EmulatorWire.TryWriteFaultAsync(context, server, fault, ErrorBody).ConfigureAwait(false))
        {
            return;
        }

        context.Response.Headers["request-id"] = "req_emu_" + server.RequestCount.ToString(CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(context.Request.Headers["x-api-key"]))
        {
            await WriteErrorAsync(context, 401, "authentication_error", "x-api-key header is required").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Headers["anthropic-version"]))
        {
            await WriteErrorAsync(context, 400, "invalid_request_error", "anthropic-version: header is required").ConfigureAwait(false);
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("The body is not a JSON object.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            await WriteErrorAsync(context, 400, "invalid_request_error", "There was an issue with the JSON body of your request: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (Validate(request, server.Signatures) is { } problem)
        {
            await WriteErrorAsync(context, 400, "invalid_request_error", problem).ConfigureAwait(false);
            return;
        }

        var conversation = Parse(request, out var forcedTool);
        var turn = EmulatorModel.Respond(conversation, server.TakeReply(Name));
        var blocks = Blocks(turn, forcedTool, server.Signatures);
        var stopReason = forcedTool is not null ? "tool_use" : StopReason(turn.FinishReason);
        if (conversation.Stream)
        {
            var events = StreamEvents(turn, blocks, stopReason).ToList();
            if (fault is { StatusCode: null, ErrorType: { } midStreamError })
            {
                // An error event mid-stream: the status is already 200, so the API reports the failure in the stream.
                events = [.. events.Take(fault.CutAfterChunks ?? 3), ("error", ErrorBody(0, midStreamError))];
                fault = null;
            }

            await EmulatorWire.WriteEventsAsync(context, server, events, fault).ConfigureAwait(false);
        }
        else
        {
            var message = new JsonObject
            {
                ["id"] = MessageId(turn),
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = turn.Model,
                ["content"] = new JsonArray([.. blocks.Select(b => b.Complete)]),
                ["stop_reason"] = stopReason,
                ["stop_sequence"] = null,
                ["usage"] = Usage(turn),
            };
            await EmulatorWire.WriteBodyAsync(context, message.ToJsonString(), fault).ConfigureAwait(false);
        }
    }

    /// <summary>The checks the real API makes that an adapter can get wrong.</summary>
    private static string? Validate(JsonObject request, EmulatorSignatures signatures)
    {
        if (request["model"] is null)
        {
            return "model: Field required";
        }

        if (request["max_tokens"] is not JsonValue maxTokens || !maxTokens.TryGetValue<int>(out var max) || max < 1)
        {
            return "max_tokens: Field required";
        }

        var thinkingType = request["thinking"]?["type"]?.GetValue<string>();
        if (thinkingType == "enabled" && (request["thinking"]?["budget_tokens"]?.GetValue<int>() ?? 0) is var budget && (budget < 1024 || budget >= max))
        {
            return "thinking.budget_tokens: must be at least 1024 and less than max_tokens";
        }

        var messages = request["messages"]?.AsArray() ?? [];
        HashSet<string> previousToolUses = [];
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            var blocks = messages[i]?["content"] as JsonArray ?? [];
            HashSet<string> toolUses = [];
            for (var j = 0; j < blocks.Count; j++)
            {
                var block = blocks[j];
                switch (block?["type"]?.GetValue<string>())
                {
                    case "thinking" when role == "assistant":
                        var thinking = block["thinking"]?.GetValue<string>() ?? string.Empty;
                        // Only a signature this server issued over exactly this thinking verifies, as with the real API.
                        if (!signatures.IsSigned(DialectName, thinking, block["signature"]?.GetValue<string>()))
                        {
                            return $"messages.{i}.content.{j}: Invalid `signature` in `thinking` block";
                        }

                        break;
                    case "redacted_thinking" when role == "assistant":
                        // The emulator never redacts: any redacted data is another service's.
                        if (!signatures.TryReadToken(DialectName, block["data"]?.GetValue<string>(), out _))
                        {
                            return $"messages.{i}.content.{j}: Invalid `data` in `redacted_thinking` block";
                        }

                        break;
                    case "tool_use":
                        toolUses.Add(block["id"]?.GetValue<string>() ?? string.Empty);
                        break;
                    case "tool_result" when !previousToolUses.Contains(block["tool_use_id"]?.GetValue<string>() ?? string.Empty):
                        return $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {block["tool_use_id"]}. " +
                               "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
                }
            }

            // With thinking on, the assistant turn that calls tools must start with its thinking block, sent back unchanged.
            if (role == "assistant" && thinkingType is "enabled" or "adaptive" && toolUses.Count > 0 && i == LastAssistant(messages) &&
                blocks.FirstOrDefault()?["type"]?.GetValue<string>() is not ("thinking" or "redacted_thinking"))
            {
                return $"messages.{i}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{blocks.FirstOrDefault()?["type"]}`. " +
                       "When `thinking` is enabled, a final `assistant` message must start with a thinking block.";
            }

            previousToolUses = toolUses;
        }

        return null;
    }

    private static int LastAssistant(JsonArray messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i]?["role"]?.GetValue<string>() == "assistant")
            {
                return i;
            }
        }

        return -1;
    }

    private static EmulatorConversation Parse(JsonObject request, out string? forcedTool)
    {
        var thinkingType = request["thinking"]?["type"]?.GetValue<string>();
        var toolChoice = request["tool_choice"]?["type"]?.GetValue<string>();
        forcedTool = toolChoice == "tool" ? request["tool_choice"]?["name"]?.GetValue<string>() : null;
        var conversation = new EmulatorConversation
        {
            Model = request["model"]?.GetValue<string>() ?? "emulator-1",
            System = request["system"] is { } system ? ContentText(system) : null,
            Stream = request["stream"]?.GetValue<bool>() == true,
            MaxTokens = request["max_tokens"]?.GetValue<int>(),
            Thinking = thinkingType is "enabled" or "adaptive",
            Json = request["output_config"]?["format"] is not null || forcedTool is not null,
            ToolsDisabled = toolChoice == "none" || forcedTool is not null,
        };

        foreach (var node in request["messages"]?.AsArray() ?? [])
        {
            var role = node?["role"]?.GetValue<string>() ?? "user";
            var content = node?["content"];
            if (content is not JsonArray blocks)
            {
                conversation.Messages.Add(new EmulatorMessage(role, ContentText(content)));
                continue;
            }

            // tool_result blocks become tool messages, as in the other dialects, so the model answers alike.
            foreach (var result in blocks.Where(b => b?["type"]?.GetValue<string>() == "tool_result"))
            {
                var text = ContentText(result?["content"]);
                var message = new EmulatorMessage("tool", text);
                message.ToolResults.Add((result?["tool_use_id"]?.GetValue<string>() ?? string.Empty, text));
                conversation.Messages.Add(message);
            }

            var rest = blocks.Where(b => b?["type"]?.GetValue<string>() != "tool_result").ToList();
            if (rest.Count == 0)
            {
                continue;
            }

            var plain = new EmulatorMessage(role, string.Concat(rest.Select(b => b?["type"]?.GetValue<string>() == "text" ? b["text"]?.GetValue<string>() : null)));
            foreach (var block in rest)
            {
                switch (block?["type"]?.GetValue<string>())
                {
                    case "tool_use":
                        plain.ToolCalls.Add(new EmulatorToolCall(block["name"]?.GetValue<string>() ?? string.Empty, block["input"]?.ToJsonString() ?? "{}"));
                        break;
                    case "thinking":
                        plain.Reasoning = block["thinking"]?.GetValue<string>();
                        plain.ReasoningSignature = block["signature"]?.GetValue<string>();
                        break;
                }
            }

            conversation.Messages.Add(plain);
        }

        foreach (var tool in request["tools"]?.AsArray() ?? [])
        {
            if (tool?["input_schema"] is JsonObject schema)
            {
                conversation.Tools.Add(new EmulatorTool(tool["name"]?.GetValue<string>() ?? string.Empty, schema.ToJsonString()));
            }
        }

        return conversation;
    }

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["type"]?.GetValue<string>() == "text" ? p["text"]?.GetValue<string>() : null)),
        _ => string.Empty,
    };

    /// <summary>The answer's content blocks: complete (for JSON) and as stream events.</summary>
    private static List<Block> Blocks(EmulatorTurn turn, string? forcedTool, EmulatorSignatures signatures)
    {
        var blocks = new List<Block>();
        if (turn.Reasoning is not null)
        {
            var signature = signatures.Sign(DialectName, turn.Reasoning);
            List<JsonObject> deltas = [.. turn.ReasoningChunks.Select(c => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = c })];
            deltas.Add(new JsonObject { ["type"] = "signature_delta", ["signature"] = signature });
            blocks.Add(new Block(
                new JsonObject { ["type"] = "thinking", ["thinking"] = turn.Reasoning, ["signature"] = signature },
                new JsonObject { ["type"] = "thinking", ["thinking"] = string.Empty, ["signature"] = string.Empty },
                deltas));
        }

        if (forcedTool is not null)
        {
            // A forced tool (the structured-output fallback): the JSON answer is the tool's input.
            var input = JsonNode.Parse(turn.Text) as JsonObject ?? new JsonObject { [ResponseToolFallback] = turn.Text };
            blocks.Add(ToolBlock("toolu_" + turn.Id[4..], forcedTool, input.ToJsonString()));
            return blocks;
        }

        if (turn.Text.Length > 0 || turn.ToolCalls.Count == 0)
        {
            blocks.Add(new Block(
                new JsonObject { ["type"] = "text", ["text"] = turn.Text },
                new JsonObject { ["type"] = "text", ["text"] = string.Empty },
                [.. turn.TextChunks.Select(c => new JsonObject { ["type"] = "text_delta", ["text"] = c })]));
        }

        foreach (var (id, call) in turn.ToolCalls)
        {
            blocks.Add(ToolBlock("toolu_" + id, call.Name, call.ArgumentsJson));
        }

        return blocks;
    }

    private static Block ToolBlock(string id, string name, string argumentsJson)
    {
        var half = argumentsJson.Length / 2;
        return new Block(
            new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonNode.Parse(argumentsJson) },
            new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() },

            // The input arrives in fragments, the first one empty, as the API streams it.
            [
                new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = string.Empty },
                new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = argumentsJson[..half] },
                new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = argumentsJson[half..] },
            ]);
    }

    private static IEnumerable<(string?, string)> StreamEvents(EmulatorTurn turn, List<Block> blocks, string stopReason)
    {
        yield return ("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = MessageId(turn),
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = turn.Model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = turn.WithExtraUsage(new JsonObject { ["input_tokens"] = turn.InputTokens, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0, ["output_tokens"] = 1 }),
            },
        }.ToJsonString());

        for (var index = 0; index < blocks.Count; index++)
        {
            yield return ("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = blocks[index].Start.DeepClone() }.ToJsonString());
            if (index == 0)
            {
                yield return ("ping", """{"type": "ping"}""");
            }

            foreach (var delta in blocks[index].Deltas)
            {
                yield return ("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta.DeepClone() }.ToJsonString());
            }

            yield return ("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }.ToJsonString());
        }

        yield return ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = turn.OutputTokens },
        }.ToJsonString());
        yield return ("message_stop", """{"type":"message_stop"}""");
    }

    private static string MessageId(EmulatorTurn turn) => "msg_" + turn.Id;

    private static string StopReason(string finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        "content_filter" => "refusal",
        "stop" => "end_turn",
        _ => finishReason,
    };

    private static JsonObject Usage(EmulatorTurn turn)
    {
        var usage = turn.WithExtraUsage(new()
        {
            ["input_tokens"] = turn.InputTokens,
            ["cache_creation_input_tokens"] = 0,
            ["cache_read_input_tokens"] = 0,
            ["output_tokens"] = turn.OutputTokens,
        });
        if (turn.ServiceTier is { } tier)
        {
            usage["service_tier"] = tier;
        }

        return usage;
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        await EmulatorWire.WriteJsonAsync(context, ErrorBody(type, message)).ConfigureAwait(false);
    }

    private static string ErrorBody(int status, string? type)
    {
        var (defaultType, message) = status switch
        {
            400 => ("invalid_request_error", "Invalid request."),
            401 => ("authentication_error", "invalid x-api-key"),
            403 => ("permission_error", "Your API key does not have permission to use the specified resource."),
            404 => ("not_found_error", "model: not found"),
            413 => ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
            429 => ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
            504 => ("timeout_error", "Request timed out."),
            529 => ("overloaded_error", "Overloaded"),
            _ => ("api_error", "Internal server error"),
        };
        type ??= defaultType;
        return ErrorBody(type, type == defaultType ? message : type switch
        {
            "overloaded_error" => "Overloaded",
            "rate_limit_error" => "Rate limited.",
            _ => message,
        });
    }

    private static string ErrorBody(string type, string message) => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    }.ToJsonString();

    /// <summary>One content block: its complete form, its content_block_start form, and its deltas.</summary>
    private sealed record Block(JsonObject Complete, JsonObject Start, List<JsonObject> Deltas);
}
