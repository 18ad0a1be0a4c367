// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator;

/// <summary>
/// The Google Gemini dialect: <c>POST /{version}/models/{model}:generateContent</c> and <c>:streamGenerateContent?alt=sse</c>
/// (<c>data:</c>-only events, cumulative <c>usageMetadata</c> in every chunk, the finish reason on the last), the google.rpc.Status
/// error envelope, and the checks the real API makes that an adapter can get wrong: the key in <c>x-goog-api-key</c> (never in the
/// URL), roles <c>user</c> and <c>model</c>, a <c>functionResponse</c> naming a function called in the previous model turn, a
/// <c>thoughtSignature</c> this server did not issue (400 "Corrupted thought signature."), and on Gemini 3 models a step of the
/// current turn whose first <c>functionCall</c> comes back without its signature. The two values Google documents for calls a
/// Gemini 3 model did not make (<c>skip_thought_signature_validator</c>, <c>context_engineering_is_the_way_to_go</c>) pass, as there.
/// </summary>
/// <remarks>
/// Thoughts (<c>thinkingConfig.includeThoughts</c>) come as <c>thought: true</c> parts; every function call carries a
/// <c>thoughtSignature</c>, as Gemini 3 sends. Function calls carry no <c>id</c>, as on v1beta. Faults: an
/// <see cref="EmulatorFault.StatusCode"/> answers with the google.rpc.Status envelope (429 is <c>RESOURCE_EXHAUSTED</c>, 503
/// <c>UNAVAILABLE</c>); a fault with an <see cref="EmulatorFault.ErrorType"/> and no status, on a streamed request, sends an
/// <c>{"error":…}</c> chunk of that status after <see cref="EmulatorFault.CutAfterChunks"/> chunks (default 1) and ends the stream.
/// </remarks>
internal sealed class GeminiDialect : IEmulatorDialect
{
    private const string DialectName = "gemini";

    private static readonly string[] s_documentedSkips = ["skip_thought_signature_validator", "context_engineering_is_the_way_to_go"];

    public string Name => DialectName;

    public void Map(IEndpointRouteBuilder routes, EmulatorServer server) =>
        routes.MapPost("/{version}/models/{target}", context => HandleAsync(context, server));


    private async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var body = await EmulatorWire.ReadBodyAsync(context).ConfigureAwait(false);
        server.Record(Name, context, body);
        var fault = server.TakeFault(Name);
        if (await EmulatorWire.TryWriteFaultAsync(context, server, fault, ErrorBody).ConfigureAwait(false))
        {
            return;
        }

        context.Response.Headers["x-goog-request-id"] = "req_emu_" + server.RequestCount.ToString(CultureInfo.InvariantCulture);
        var target = (string?)context.Request.RouteValues["target"] ?? string.Empty;
        var colon = target.LastIndexOf(':');
        var model = colon < 0 ? target : target[..colon];
        var method = colon < 0 ? string.Empty : target[(colon + 1)..];
        if (method is not ("generateContent" or "streamGenerateContent"))
        {
            await WriteErrorAsync(context, 404, $"Method {method} is not found for models/{model}.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Query.ContainsKey("key"))
        {
            await WriteErrorAsync(context, 400, "The emulator refuses an API key in the URL: send it in the x-goog-api-key header.").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Headers["x-goog-api-key"]))
        {
            await WriteErrorAsync(context, 403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.").ConfigureAwait(false);
            return;
        }

        var stream = method == "streamGenerateContent";
        if (stream && context.Request.Query["alt"] != "sse")
        {
            await WriteErrorAsync(context, 400, "The emulator streams server-sent events only: add ?alt=sse.").ConfigureAwait(false);
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("The body is not a JSON object.");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            await WriteErrorAsync(context, 400, "Invalid JSON payload received. " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (Validate(request, model, server.Signatures) is { } problem)
        {
            await WriteErrorAsync(context, 400, problem).ConfigureAwait(false);
            return;
        }

        var conversation = Parse(request, model, stream);
        var turn = EmulatorModel.Respond(conversation, server.TakeReply(Name));
        var responseId = "gem-" + turn.Id[4..];
        if (stream)
        {
            var chunks = Chunks(turn, responseId, server.Signatures).Select(c => ((string?)null, c.ToJsonString())).ToList();
            if (fault is { StatusCode: null, ErrorType: { } midStreamError })
            {
                // An error chunk mid-stream: the status is already 200, so the API reports the failure in the stream.
                chunks = [.. chunks.Take(fault.CutAfterChunks ?? 1), (null, ErrorBody(StatusCodeOf(midStreamError), midStreamError))];
                fault = null;
            }

            await EmulatorWire.WriteEventsAsync(context, server, chunks, fault).ConfigureAwait(false);
        }
        else
        {
            var response = new JsonObject
            {
                ["candidates"] = new JsonArray(new JsonObject
                {
                    ["content"] = new JsonObject { ["parts"] = new JsonArray([.. Parts(turn, server.Signatures)]), ["role"] = "model" },
                    ["finishReason"] = FinishReason(turn.FinishReason),
                    ["index"] = 0,
                }),
                ["usageMetadata"] = Usage(turn, final: true),
                ["modelVersion"] = turn.Model,
                ["responseId"] = responseId,
            };
            await EmulatorWire.WriteBodyAsync(context, response.ToJsonString(), fault).ConfigureAwait(false);
        }
    }

    /// <summary>The checks the real API makes that an adapter can get wrong.</summary>
    private static string? Validate(JsonObject request, string model, EmulatorSignatures signatures)
    {
        if (request["contents"] is not JsonArray { Count: > 0 } contents)
        {
            return "* GenerateContentRequest.contents: contents is not specified";
        }

        // The current turn: the model turns after the last user content that is not only function responses.
        var currentTurn = 0;
        for (var i = contents.Count - 1; i >= 0; i--)
        {
            if (contents[i]?["role"]?.GetValue<string>() == "user" &&
                (contents[i]?["parts"] as JsonArray ?? []).Any(p => p?["functionResponse"] is null))
            {
                currentTurn = i + 1;
                break;
            }
        }

        var gemini3 = model.StartsWith("gemini-3", StringComparison.Ordinal);
        HashSet<string> previousCalls = [];
        for (var i = 0; i < contents.Count; i++)
        {
            var role = contents[i]?["role"]?.GetValue<string>();
            if (role is not ("user" or "model"))
            {
                return $"Please use a valid role: user, model. (contents[{i}].role is \"{role}\")";
            }

            HashSet<string> calls = [];
            var parts = contents[i]?["parts"] as JsonArray ?? [];
            for (var j = 0; j < parts.Count; j++)
            {
                var part = parts[j];
                var signature = part?["thoughtSignature"]?.GetValue<string>();
                if (signature is not null && !s_documentedSkips.Contains(signature) && !signatures.TryReadToken(DialectName, signature, out _))
                {
                    // Another service's signature (or another server's): the real API cannot decrypt it either.
                    return "Corrupted thought signature.";
                }

                if (part?["functionCall"] is JsonObject call)
                {
                    var name = call["name"]?.GetValue<string>() ?? string.Empty;
                    var firstOfStep = calls.Count == 0;
                    calls.Add(name);
                    if (gemini3 && role == "model" && i >= currentTurn && firstOfStep && signature is null)
                    {
                        return $"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{name}` , position {j + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.";
                    }
                }

                if (part?["functionResponse"] is JsonObject response)
                {
                    var name = response["name"]?.GetValue<string>() ?? string.Empty;
                    if (!previousCalls.Contains(name))
                    {
                        return $"* GenerateContentRequest.contents[{i}].parts[{j}].function_response.name: the function response names \"{name}\", which the previous model turn did not call.";
                    }

                    if (response["response"] is not JsonObject)
                    {
                        return $"* GenerateContentRequest.contents[{i}].parts[{j}].function_response.response: must be a JSON object.";
                    }
                }
            }

            if (role == "model")
            {
                previousCalls = calls;
            }
        }

        return null;
    }

    private static EmulatorConversation Parse(JsonObject request, string model, bool stream)
    {
        var generation = request["generationConfig"] as JsonObject;
        var conversation = new EmulatorConversation
        {
            Model = model,
            System = request["systemInstruction"]?["parts"] is JsonArray system ? Text(system) : null,
            Stream = stream,
            MaxTokens = generation?["maxOutputTokens"]?.GetValue<int>(),
            Thinking = generation?["thinkingConfig"]?["includeThoughts"]?.GetValue<bool>() == true,
            Json = generation?["responseMimeType"]?.GetValue<string>() == "application/json",
            ToolsDisabled = request["toolConfig"]?["functionCallingConfig"]?["mode"]?.GetValue<string>() == "NONE",
        };

        foreach (var content in request["contents"]!.AsArray())
        {
            var role = content?["role"]?.GetValue<string>() == "model" ? "assistant" : "user";
            var parts = content?["parts"] as JsonArray ?? [];
            var results = parts.Where(p => p?["functionResponse"] is not null).ToList();
            foreach (var result in results)
            {
                var response = result!["functionResponse"]!;
                var text = response["response"]?["result"] is { } wrapped ? wrapped.ToJsonString().Trim('"') : response["response"]?.ToJsonString() ?? string.Empty;
                var message = new EmulatorMessage("tool", text);
                message.ToolResults.Add((response["id"]?.GetValue<string>() ?? response["name"]?.GetValue<string>() ?? string.Empty, text));
                conversation.Messages.Add(message);
            }

            var rest = parts.Where(p => p?["functionResponse"] is null).ToList();
            if (rest.Count == 0)
            {
                continue;
            }

            var plain = new EmulatorMessage(role, string.Concat(rest.Select(p => p?["thought"]?.GetValue<bool>() == true ? null : p?["text"]?.GetValue<string>())));
            foreach (var part in rest)
            {
                if (part?["functionCall"] is JsonObject call)
                {
                    plain.ToolCalls.Add(new EmulatorToolCall(call["name"]?.GetValue<string>() ?? string.Empty, call["args"]?.ToJsonString() ?? "{}"));
                }
                else if (part?["thought"]?.GetValue<bool>() == true)
                {
                    plain.Reasoning = part["text"]?.GetValue<string>();
                }
            }

            conversation.Messages.Add(plain);
        }

        foreach (var tool in request["tools"]?.AsArray() ?? [])
        {
            foreach (var declaration in tool?["functionDeclarations"]?.AsArray() ?? [])
            {
                conversation.Tools.Add(new EmulatorTool(declaration?["name"]?.GetValue<string>() ?? string.Empty, Lower(declaration?["parameters"])?.ToJsonString() ?? """{"type":"object","properties":{}}"""));
            }
        }

        return conversation;
    }

    /// <summary>The API's upper-case schema types, lower-cased for the shared model (which reads JSON Schema).</summary>
    private static JsonNode? Lower(JsonNode? schema)
    {
        if (schema is not JsonObject obj)
        {
            return schema?.DeepClone();
        }

        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            copy[name] = name == "type" && value is JsonValue type && type.TryGetValue<string>(out var t) ? t.ToLowerInvariant()
                : name is "properties" && value is JsonObject properties ? new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Lower(p.Value))))
                : name is "items" ? Lower(value)
                : value?.DeepClone();
        }

        return copy;
    }

    private static string Text(JsonArray parts) => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>()));

    /// <summary>The answer's parts: thoughts, text (with the thoughts' signature), then function calls, each with its signature.</summary>
    private static IEnumerable<JsonObject> Parts(EmulatorTurn turn, EmulatorSignatures signatures)
    {
        if (turn.Reasoning is not null)
        {
            yield return new JsonObject { ["text"] = turn.Reasoning, ["thought"] = true };
        }

        if (turn.Text.Length > 0 || turn.ToolCalls.Count == 0)
        {
            var text = new JsonObject { ["text"] = turn.Text };
            if (turn.ReasoningSignature is not null && turn.ToolCalls.Count == 0)
            {
                text["thoughtSignature"] = signatures.Token(DialectName, "thought:" + turn.Id);
            }

            yield return text;
        }

        foreach (var (_, call) in turn.ToolCalls)
        {
            yield return new JsonObject
            {
                ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = JsonNode.Parse(call.ArgumentsJson) },
                ["thoughtSignature"] = signatures.Token(DialectName, "call:" + call.Name),
            };
        }
    }

    private static IEnumerable<JsonObject> Chunks(EmulatorTurn turn, string responseId, EmulatorSignatures signatures)
    {
        var pieces = new List<JsonObject>();
        pieces.AddRange(turn.ReasoningChunks.Select(c => new JsonObject { ["text"] = c, ["thought"] = true }));
        pieces.AddRange(turn.TextChunks.Select(c => new JsonObject { ["text"] = c }));
        var calls = Parts(turn, signatures).Where(p => p["functionCall"] is not null).ToList();
        if (turn.ReasoningSignature is not null && turn.ToolCalls.Count == 0)
        {
            // As Gemini 3 streams it: the signature on a trailing empty text part.
            pieces.Add(new JsonObject { ["text"] = string.Empty, ["thoughtSignature"] = signatures.Token(DialectName, "thought:" + turn.Id) });
        }

        if (pieces.Count == 0 && calls.Count == 0)
        {
            pieces.Add(new JsonObject { ["text"] = string.Empty });
        }

        var groups = pieces.Select(p => new List<JsonObject> { p }).ToList();
        if (calls.Count > 0)
        {
            // Function calls arrive whole, together, in one chunk.
            groups.Add(calls);
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var last = i == groups.Count - 1;
            var candidate = new JsonObject
            {
                ["content"] = new JsonObject { ["parts"] = new JsonArray([.. groups[i]]), ["role"] = "model" },
                ["index"] = 0,
            };
            if (last)
            {
                candidate["finishReason"] = FinishReason(turn.FinishReason);
            }

            yield return new JsonObject
            {
                ["candidates"] = new JsonArray(candidate),
                ["usageMetadata"] = Usage(turn, last),
                ["modelVersion"] = turn.Model,
                ["responseId"] = responseId,
            };
        }
    }

    private static string FinishReason(string finishReason) => finishReason switch
    {
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        _ => "STOP",
    };

    /// <summary>Usage as Gemini reports it: candidates without the thoughts, which are counted apart; cumulative while streaming.</summary>
    private static JsonObject Usage(EmulatorTurn turn, bool final)
    {
        var thoughts = turn.Reasoning is null ? 0 : turn.ReasoningTokens;
        var candidates = final ? Math.Max(0, turn.OutputTokens - thoughts) : 0;
        var usage = new JsonObject
        {
            ["promptTokenCount"] = turn.InputTokens,
            ["candidatesTokenCount"] = candidates,
            ["totalTokenCount"] = turn.InputTokens + candidates + (final ? thoughts : 0),
        };
        if (final && thoughts > 0)
        {
            usage["thoughtsTokenCount"] = thoughts;
        }

        return usage;
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await EmulatorWire.WriteJsonAsync(context, ErrorBody(status, StatusWord(status), message)).ConfigureAwait(false);
    }

    private static string StatusWord(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        500 => "INTERNAL",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNAVAILABLE",
    };

    private static int StatusCodeOf(string statusWord) => statusWord switch
    {
        "INVALID_ARGUMENT" or "FAILED_PRECONDITION" => 400,
        "UNAUTHENTICATED" => 401,
        "PERMISSION_DENIED" => 403,
        "NOT_FOUND" => 404,
        "RESOURCE_EXHAUSTED" => 429,
        "INTERNAL" => 500,
        "DEADLINE_EXCEEDED" => 504,
        _ => 503,
    };

    private static string ErrorBody(int status, string? statusWord)
    {
        statusWord ??= StatusWord(status);
        var message = statusWord switch
        {
            "INVALID_ARGUMENT" => "Request contains an invalid argument.",
            "FAILED_PRECONDITION" => "User location is not supported for the API use.",
            "UNAUTHENTICATED" => "Request had invalid authentication credentials.",
            "PERMISSION_DENIED" => "The caller does not have permission.",
            "NOT_FOUND" => "models/emulator is not found for API version v1beta, or is not supported for generateContent.",
            "RESOURCE_EXHAUSTED" => "Resource has been exhausted (e.g. check quota).",
            "INTERNAL" => "An internal error has occurred.",
            "DEADLINE_EXCEEDED" => "The request timed out.",
            _ => "The model is overloaded. Please try again later.",
        };
        return ErrorBody(status, statusWord, message);
    }

    private static string ErrorBody(int status, string statusWord, string message) => new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = statusWord },
    }.ToJsonString();
}
