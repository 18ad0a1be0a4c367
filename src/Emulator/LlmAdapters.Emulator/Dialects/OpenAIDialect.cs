// Licensed under the MIT License.

using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator;

/// <summary>The OpenAI Chat Completions dialect: <c>POST /v1/chat/completions</c>, JSON or SSE with the usage chunk, tool calls and <c>reasoning_content</c>.</summary>
internal sealed class OpenAIDialect : IEmulatorDialect
{
    public string Name => "openai";

    public void Map(IEndpointRouteBuilder routes, EmulatorServer server)
    {
        routes.MapPost("/v1/chat/completions", context => HandleAsync(context, server));
    }

    private async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var body = await EmulatorWire.ReadBodyAsync(context).ConfigureAwait(false);
        server.Record(Name, context, body);
        var fault = server.TakeFault(Name);
        if (await EmulatorWire.TryWriteFaultAsync(context, server, fault, ErrorBody).ConfigureAwait(false))
        {
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("The body is not a JSON object.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            context.Response.StatusCode = 400;
            await EmulatorWire.WriteJsonAsync(context, ErrorBody(400, null, "We could not parse the JSON body of your request: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        var conversation = Parse(request);
        var turn = EmulatorModel.Respond(conversation, server.TakeReply(Name));
        if (conversation.Stream)
        {
            var includeUsage = request["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
            await EmulatorWire.WriteEventsAsync(context, server, StreamEvents(turn, includeUsage), fault).ConfigureAwait(false);
        }
        else
        {
            await EmulatorWire.WriteBodyAsync(context, Completion(turn).ToJsonString(), fault).ConfigureAwait(false);
        }
    }

    private static EmulatorConversation Parse(JsonObject request)
    {
        var effort = request["reasoning_effort"]?.GetValue<string>();
        var model = request["model"]?.GetValue<string>() ?? "emulator-1";
        var conversation = new EmulatorConversation
        {
            Model = model,
            Stream = request["stream"]?.GetValue<bool>() == true,
            MaxTokens = (request["max_completion_tokens"] ?? request["max_tokens"])?.GetValue<int>(),
            Thinking = (effort is not null && effort != "none") || model.Contains("reason", StringComparison.OrdinalIgnoreCase),
            Json = request["response_format"]?["type"]?.GetValue<string>() is "json_object" or "json_schema",
            ToolsDisabled = request["tool_choice"] is JsonValue choice && choice.GetValue<string>() == "none",
        };

        foreach (var node in request["messages"]?.AsArray() ?? [])
        {
            var role = node?["role"]?.GetValue<string>() ?? "user";
            var message = new EmulatorMessage(role == "developer" ? "system" : role, ContentText(node?["content"]));
            foreach (var call in node?["tool_calls"]?.AsArray() ?? [])
            {
                message.ToolCalls.Add(new EmulatorToolCall(call?["function"]?["name"]?.GetValue<string>() ?? "", call?["function"]?["arguments"]?.GetValue<string>() ?? "{}"));
            }

            if (role == "tool")
            {
                message.ToolResults.Add((node?["tool_call_id"]?.GetValue<string>() ?? "", message.Text));
            }

            conversation.Messages.Add(message);
        }

        foreach (var tool in request["tools"]?.AsArray() ?? [])
        {
            if (tool?["function"] is JsonObject function)
            {
                conversation.Tools.Add(new EmulatorTool(function["name"]?.GetValue<string>() ?? "", function["parameters"]?.ToJsonString()));
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

    private static JsonObject Completion(EmulatorTurn turn)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = turn.ToolCalls.Count > 0 && turn.Text.Length == 0 ? null : turn.Text };
        if (turn.Reasoning is not null)
        {
            message["reasoning_content"] = turn.Reasoning;
        }

        if (turn.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(turn.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Call.Name, ["arguments"] = c.Call.ArgumentsJson },
            }).ToArray());
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-" + turn.Id,
            ["object"] = "chat.completion",
            ["created"] = turn.Created,
            ["model"] = turn.Model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = turn.FinishReason }),
            ["usage"] = Usage(turn),
        }.WithServiceTier(turn);
    }

    private static IEnumerable<(string?, string)> StreamEvents(EmulatorTurn turn, bool includeUsage)
    {
        JsonObject Chunk(JsonObject delta, string? finish) => new JsonObject()
        {
            ["id"] = "chatcmpl-" + turn.Id,
            ["object"] = "chat.completion.chunk",
            ["created"] = turn.Created,
            ["model"] = turn.Model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
        }.WithServiceTier(turn);

        yield return (null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null).ToJsonString());
        foreach (var piece in turn.ReasoningChunks)
        {
            yield return (null, Chunk(new JsonObject { ["reasoning_content"] = piece }, null).ToJsonString());
        }

        foreach (var piece in turn.TextChunks)
        {
            yield return (null, Chunk(new JsonObject { ["content"] = piece }, null).ToJsonString());
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var (id, call) = turn.ToolCalls[i];
            var half = call.ArgumentsJson.Length / 2;

            // Arguments arrive in fragments, as OpenAI streams them.
            yield return (null, Chunk(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = i, ["id"] = id, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson[..half] },
                }),
            }, null).ToJsonString());
            yield return (null, Chunk(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = call.ArgumentsJson[half..] } }),
            }, null).ToJsonString());
        }

        yield return (null, Chunk(new JsonObject(), turn.FinishReason).ToJsonString());
        if (includeUsage)
        {
            yield return (null, new JsonObject
            {
                ["id"] = "chatcmpl-" + turn.Id,
                ["object"] = "chat.completion.chunk",
                ["created"] = turn.Created,
                ["model"] = turn.Model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(turn),
            }.WithServiceTier(turn).ToJsonString());
        }

        yield return (null, "[DONE]");
    }

    private static JsonObject Usage(EmulatorTurn turn) => turn.WithExtraUsage(new()
    {
        ["prompt_tokens"] = turn.InputTokens,
        ["completion_tokens"] = turn.OutputTokens,
        ["total_tokens"] = turn.InputTokens + turn.OutputTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = turn.ReasoningTokens },
    });

    private static string ErrorBody(int status, string? type) => ErrorBody(status, type, null);

    private static string ErrorBody(int status, string? type, string? message)
    {
        var (defaultType, code, text) = status switch
        {
            400 => ("invalid_request_error", (string?)null, "Invalid request."),
            401 => ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
            403 => ("invalid_request_error", "unsupported_country_region_territory", "Permission denied."),
            404 => ("invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."),
            429 => ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."),
            503 => ("server_error", null, "The engine is currently overloaded, please try again later."),
            _ => ("server_error", null, "The server had an error while processing your request."),
        };

        return new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message ?? text, ["type"] = type ?? defaultType, ["param"] = null, ["code"] = code },
        }.ToJsonString();
    }
}

/// <summary>The <c>service_tier</c> member OpenAI adds to a response and to each chunk.</summary>
internal static class OpenAIServiceTier
{
    public static JsonObject WithServiceTier(this JsonObject body, EmulatorTurn turn)
    {
        if (turn.ServiceTier is { } tier)
        {
            body["service_tier"] = tier;
        }

        return body;
    }
}
