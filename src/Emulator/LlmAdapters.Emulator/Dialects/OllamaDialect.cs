// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator;

/// <summary>
/// Ollama's native chat dialect: <c>POST /api/chat</c>, one JSON answer or NDJSON lines (thinking in
/// <c>message.thinking</c>, text in <c>message.content</c>, tool calls complete in one line with their <c>id</c> and
/// arguments as an object, then a <c>done</c> line with <c>done_reason</c>, counts and nanosecond durations), and the
/// <c>{"error": "…"}</c> envelope. Streams unless the request says <c>"stream": false</c>, as the server does.
/// </summary>
/// <remarks>
/// Faults: an <see cref="EmulatorFault.StatusCode"/> answers with <c>{"error": "…"}</c> (404 names the model). A fault with an
/// <see cref="EmulatorFault.ErrorType"/> and no status, on a streamed request, sends an <c>{"error": …}</c> line after
/// <see cref="EmulatorFault.CutAfterChunks"/> lines (default 3) and ends the stream, as a failing model runner does.
/// </remarks>
internal sealed class OllamaDialect : IEmulatorDialect
{
    public string Name => "ollama";

    public void Map(IEndpointRouteBuilder routes, EmulatorServer server)
    {
        routes.MapPost("/api/chat", context => HandleAsync(context, server));
        routes.MapGet("/api/version", context => EmulatorWire.WriteJsonAsync(context, """{"version":"0.12.0-emulator"}"""));
    }

    private async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var body = await EmulatorWire.ReadBodyAsync(context).ConfigureAwait(false);
        server.Record(Name, context, body);
        var fault = server.TakeFault(Name);
        JsonObject? request = null;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // Answered below.
        }

        var model = request?["model"]?.GetValue<string>() ?? "emulator-1";
        if (await EmulatorWire.TryWriteFaultAsync(context, server, fault, (status, _) => ErrorBody(status, model)).ConfigureAwait(false))
        {
            return;
        }

        if (request is null)
        {
            await WriteErrorAsync(context, 400, "invalid character in request body").ConfigureAwait(false);
            return;
        }

        if (request["model"] is null)
        {
            await WriteErrorAsync(context, 400, "model is required").ConfigureAwait(false);
            return;
        }

        var conversation = Parse(request, model);
        var turn = EmulatorModel.Respond(conversation, server.TakeReply(Name));
        if (conversation.Stream)
        {
            var lines = StreamLines(turn).ToList();
            if (fault is { StatusCode: null, ErrorType: { } midStreamError })
            {
                lines = [.. lines.Take(fault.CutAfterChunks ?? 3), new JsonObject { ["error"] = midStreamError }.ToJsonString()];
                fault = null;
            }

            await WriteLinesAsync(context, server, lines, fault).ConfigureAwait(false);
        }
        else
        {
            await EmulatorWire.WriteBodyAsync(context, Final(turn, Message(turn, turn.Text, turn.Reasoning, withCalls: true)).ToJsonString(), fault).ConfigureAwait(false);
        }
    }

    private static EmulatorConversation Parse(JsonObject request, string model)
    {
        var think = request["think"];
        var conversation = new EmulatorConversation
        {
            Model = model,
            Stream = request["stream"] is not JsonValue stream || stream.GetValue<bool>(),
            MaxTokens = request["options"]?["num_predict"]?.GetValue<int>(),
            Thinking = think is JsonValue value && (value.TryGetValue<bool>(out var on) ? on : value.TryGetValue<string>(out var level) && level.Length > 0),
            Json = request["format"] is not null,
        };

        foreach (var node in request["messages"]?.AsArray() ?? [])
        {
            var role = node?["role"]?.GetValue<string>() ?? "user";
            var message = new EmulatorMessage(role, node?["content"]?.GetValue<string>() ?? string.Empty);
            foreach (var call in node?["tool_calls"]?.AsArray() ?? [])
            {
                message.ToolCalls.Add(new EmulatorToolCall(call?["function"]?["name"]?.GetValue<string>() ?? string.Empty, call?["function"]?["arguments"]?.ToJsonString() ?? "{}"));
            }

            if (role == "tool")
            {
                message.ToolResults.Add((node?["tool_call_id"]?.GetValue<string>() ?? node?["tool_name"]?.GetValue<string>() ?? string.Empty, message.Text));
            }

            conversation.Messages.Add(message);
        }

        foreach (var tool in request["tools"]?.AsArray() ?? [])
        {
            if (tool?["function"] is JsonObject function)
            {
                conversation.Tools.Add(new EmulatorTool(function["name"]?.GetValue<string>() ?? string.Empty, function["parameters"]?.ToJsonString()));
            }
        }

        return conversation;
    }

    private static JsonObject Message(EmulatorTurn turn, string content, string? thinking, bool withCalls)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (thinking is not null)
        {
            message["thinking"] = thinking;
        }

        if (withCalls && turn.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. turn.ToolCalls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["function"] = new JsonObject { ["index"] = i, ["name"] = c.Call.Name, ["arguments"] = JsonNode.Parse(c.Call.ArgumentsJson) },
            })]);
        }

        return message;
    }

    private static JsonObject Line(EmulatorTurn turn, JsonObject message) => new()
    {
        ["model"] = turn.Model,
        ["created_at"] = CreatedAt(turn),
        ["message"] = message,
        ["done"] = false,
    };

    private static JsonObject Final(EmulatorTurn turn, JsonObject message)
    {
        // Durations in nanoseconds, derived from the counts so that they are deterministic.
        var promptEval = turn.InputTokens * 1_000_000L;
        var eval = turn.OutputTokens * 20_000_000L;
        return new JsonObject
        {
            ["model"] = turn.Model,
            ["created_at"] = CreatedAt(turn),
            ["message"] = message,
            ["done_reason"] = turn.FinishReason is "length" ? "length" : "stop",
            ["done"] = true,
            ["total_duration"] = 5_000_000L + promptEval + eval,
            ["load_duration"] = 5_000_000L,
            ["prompt_eval_count"] = turn.InputTokens,
            ["prompt_eval_duration"] = promptEval,
            ["eval_count"] = turn.OutputTokens,
            ["eval_duration"] = eval,
        };
    }

    private static IEnumerable<string> StreamLines(EmulatorTurn turn)
    {
        foreach (var piece in turn.ReasoningChunks)
        {
            yield return Line(turn, Message(turn, string.Empty, piece, withCalls: false)).ToJsonString();
        }

        foreach (var piece in turn.TextChunks)
        {
            yield return Line(turn, Message(turn, piece, null, withCalls: false)).ToJsonString();
        }

        if (turn.ToolCalls.Count > 0)
        {
            // Tool calls arrive complete, in a line of their own; the done line that follows says "stop".
            yield return Line(turn, Message(turn, string.Empty, null, withCalls: true)).ToJsonString();
        }

        yield return Final(turn, Message(turn, string.Empty, null, withCalls: false)).ToJsonString();
    }

    private static async Task WriteLinesAsync(HttpContext context, EmulatorServer server, List<string> lines, EmulatorFault? fault)
    {
        context.Response.ContentType = "application/x-ndjson";
        for (var index = 0; index < lines.Count; index++)
        {
            if (fault?.CutAfterChunks is { } cut && index >= cut)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }

            var line = fault?.MalformedChunkAt == index ? "{\"malformed\": tru" : lines[index];
            await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (server.Options.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(server.Options.ChunkDelay, server.Options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static string CreatedAt(EmulatorTurn turn) =>
        DateTimeOffset.FromUnixTimeSeconds(turn.Created).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await EmulatorWire.WriteJsonAsync(context, new JsonObject { ["error"] = message }.ToJsonString()).ConfigureAwait(false);
    }

    private static string ErrorBody(int status, string model) => new JsonObject
    {
        ["error"] = status switch
        {
            400 => "invalid request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => $"model '{model}' not found",
            429 => "too many requests, please try again later",
            502 => "upstream model unreachable",
            503 => "server busy, please try again. maximum pending requests exceeded",
            _ => "an error was encountered while running the model",
        },
    }.ToJsonString();
}
