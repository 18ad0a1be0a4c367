// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator;

/// <summary>
/// DashScope's native generation dialect: <c>POST /api/v1/services/aigc/text-generation/generation</c> (and the
/// multimodal-generation path), JSON or, with <c>X-DashScope-SSE: enable</c>, server-sent <c>result</c> events with
/// <c>incremental_output</c> (<c>finish_reason</c> the string <c>"null"</c> until the end, cumulative usage, tool-call
/// fragments: id and name first, then <c>"id":""</c> and the rest of the arguments), and the flat <c>{code, message, request_id}</c> error.
/// </summary>
/// <remarks>
/// Faults: an <see cref="EmulatorFault.StatusCode"/> answers with the flat error (the code from <see cref="EmulatorFault.ErrorType"/>,
/// or the status's usual one). A fault with an <see cref="EmulatorFault.ErrorType"/> and no status, on a streamed request, sends an
/// <c>error</c> event with that code after <see cref="EmulatorFault.CutAfterChunks"/> events (default 3), as the API does in a 200 stream.
/// </remarks>
internal sealed class DashScopeDialect : IEmulatorDialect
{
    public string Name => "dashscope";

    public void Map(IEndpointRouteBuilder routes, EmulatorServer server)
    {
        routes.MapPost("/api/v1/services/aigc/text-generation/generation", context => HandleAsync(context, server));
        routes.MapPost("/api/v1/services/aigc/multimodal-generation/generation", context => HandleAsync(context, server));
    }

    private async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var body = await EmulatorWire.ReadBodyAsync(context).ConfigureAwait(false);
        server.Record(Name, context, body);
        var requestId = "emu-" + server.RequestCount.ToString("x8", CultureInfo.InvariantCulture) + "-0000-0000-0000-000000000000";
        var fault = server.TakeFault(Name);
        if (await EmulatorWire.TryWriteFaultAsync(context, server, fault, (status, code) => ErrorBody(status, code, requestId)).ConfigureAwait(false))
        {
            return;
        }

        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 401, "InvalidApiKey", "No API-key provided.", requestId).ConfigureAwait(false);
            return;
        }

        JsonObject? request = null;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Answered below.
        }

        if (request?["model"] is null || request["input"]?["messages"] is not JsonArray)
        {
            await WriteErrorAsync(context, 400, "InvalidParameter", "Required parameter(s) missing or invalid, please check the request parameters.", requestId).ConfigureAwait(false);
            return;
        }

        var conversation = Parse(request, string.Equals(context.Request.Headers["X-DashScope-SSE"], "enable", StringComparison.OrdinalIgnoreCase));
        var turn = EmulatorModel.Respond(conversation, server.TakeReply(Name));
        context.Response.Headers["x-dashscope-request-id"] = requestId;
        if (conversation.Stream)
        {
            var events = StreamEvents(turn, requestId).Select(e => ((string?)"result", e)).ToList();
            if (fault is { StatusCode: null, ErrorType: { } code })
            {
                events = [.. events.Take(fault.CutAfterChunks ?? 3), ("error", ErrorBody(0, code, requestId))];
                fault = null;
            }

            await EmulatorWire.WriteEventsAsync(context, server, events, fault).ConfigureAwait(false);
        }
        else
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = turn.Text };
            if (turn.Reasoning is not null)
            {
                message["reasoning_content"] = turn.Reasoning;
            }

            if (turn.ToolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray([.. turn.ToolCalls.Select((c, i) => (JsonNode)new JsonObject
                {
                    ["index"] = i, ["id"] = c.Id, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Call.Name, ["arguments"] = c.Call.ArgumentsJson },
                })]);
            }

            await EmulatorWire.WriteBodyAsync(context, Event(turn, message, turn.FinishReason, turn.OutputTokens, requestId).ToJsonString(), fault).ConfigureAwait(false);
        }
    }

    private static EmulatorConversation Parse(JsonObject request, bool stream)
    {
        var parameters = request["parameters"] as JsonObject;
        var conversation = new EmulatorConversation
        {
            Model = request["model"]!.GetValue<string>(),
            Stream = stream,
            MaxTokens = parameters?["max_tokens"]?.GetValue<int>(),
            Thinking = parameters?["enable_thinking"]?.GetValue<bool>() == true,
            Json = parameters?["response_format"] is not null,
            ToolsDisabled = parameters?["tool_choice"] is JsonValue choice && choice.GetValue<string>() == "none",
        };

        foreach (var node in request["input"]!["messages"]!.AsArray())
        {
            var role = node?["role"]?.GetValue<string>() ?? "user";
            var message = new EmulatorMessage(role, ContentText(node?["content"]));
            foreach (var call in node?["tool_calls"]?.AsArray() ?? [])
            {
                message.ToolCalls.Add(new EmulatorToolCall(call?["function"]?["name"]?.GetValue<string>() ?? string.Empty, call?["function"]?["arguments"]?.GetValue<string>() ?? "{}"));
            }

            if (role == "tool")
            {
                message.ToolResults.Add((node?["tool_call_id"]?.GetValue<string>() ?? string.Empty, message.Text));
            }

            conversation.Messages.Add(message);
        }

        foreach (var tool in parameters?["tools"]?.AsArray() ?? [])
        {
            if (tool?["function"] is JsonObject function)
            {
                conversation.Tools.Add(new EmulatorTool(function["name"]?.GetValue<string>() ?? string.Empty, function["parameters"]?.ToJsonString()));
            }
        }

        return conversation;
    }

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => string.Empty,
    };

    private static JsonObject Event(EmulatorTurn turn, JsonObject message, string finishReason, int outputTokens, string requestId) => new()
    {
        ["output"] = new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["finish_reason"] = finishReason, ["message"] = message }),
        },
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = turn.InputTokens,
            ["output_tokens"] = outputTokens,
            ["total_tokens"] = turn.InputTokens + outputTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
        },
        ["request_id"] = requestId,
    };

    private static IEnumerable<string> StreamEvents(EmulatorTurn turn, string requestId)
    {
        var output = 0;
        foreach (var piece in turn.ReasoningChunks)
        {
            output += EmulatorModel.CountTokens(piece);
            yield return Event(turn, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty, ["reasoning_content"] = piece }, "null", output, requestId).ToJsonString();
        }

        foreach (var piece in turn.TextChunks)
        {
            output += EmulatorModel.CountTokens(piece);
            yield return Event(turn, new JsonObject { ["role"] = "assistant", ["content"] = piece, ["reasoning_content"] = string.Empty }, "null", output, requestId).ToJsonString();
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var (id, call) = turn.ToolCalls[i];
            var half = call.ArgumentsJson.Length / 2;
            yield return Event(turn, ToolFragment(i, id, call.Name, call.ArgumentsJson[..half]), "null", output, requestId).ToJsonString();
            yield return Event(turn, ToolFragment(i, string.Empty, null, call.ArgumentsJson[half..]), "null", output, requestId).ToJsonString();
        }

        yield return Event(turn, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, turn.FinishReason, turn.OutputTokens, requestId).ToJsonString();
    }

    private static JsonObject ToolFragment(int index, string id, string? name, string arguments)
    {
        var function = new JsonObject { ["arguments"] = arguments };
        if (name is not null)
        {
            function["name"] = name;
        }

        return new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = string.Empty,
            ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["id"] = id, ["type"] = "function", ["function"] = function }),
        };
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message, string requestId)
    {
        context.Response.StatusCode = status;
        await EmulatorWire.WriteJsonAsync(context, new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = requestId }.ToJsonString()).ConfigureAwait(false);
    }

    private static string ErrorBody(int status, string? code, string requestId)
    {
        var (defaultCode, message) = status switch
        {
            400 => ("InvalidParameter", "Required parameter(s) missing or invalid, please check the request parameters."),
            401 => ("InvalidApiKey", "Invalid API-key provided."),
            403 => ("AccessDenied", "Access denied."),
            404 => ("ModelNotFound", "Model not found."),
            429 => ("Throttling.RateQuota", "Requests rate limit exceeded, please try again later."),
            _ => ("InternalError", "An internal error has occured, please try again later or contact service support."),
        };
        code ??= defaultCode;
        if (code != defaultCode)
        {
            message = code switch
            {
                "DataInspectionFailed" => "Input data may contain inappropriate content.",
                "Arrearage" => "Access denied, please make sure your account is in good standing.",
                _ => code,
            };
        }

        return new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = requestId }.ToJsonString();
    }
}
