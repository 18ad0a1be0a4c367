// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.Gemini.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Internal;

/// <summary>Maps M.E.AI requests to the Gemini wire format, and back.</summary>
internal static partial class GeminiMapper
{
    /// <summary>Builds the body of a request.</summary>
    /// <param name="client">The client, passed to <see cref="ChatOptions.RawRepresentationFactory"/>.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">The call's options.</param>
    /// <param name="defaultModel">The client's default model.</param>
    /// <returns>The model to call and the UTF-8 JSON body.</returns>
    /// <exception cref="InvalidOperationException">No model is set.</exception>
    public static (string Model, byte[] Body) CreateRequest(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModel) =>
        CreateRequest(client, messages, options, defaultModel, serviceTier: null).Request;

    /// <summary>Builds the request, with the call's <c>service_tier</c> (an additional property) else the client's.</summary>
    /// <returns>The model, the body, and the service tier sent (or <see langword="null"/>).</returns>
    public static ((string Model, byte[] Body) Request, string? ServiceTier) CreateRequest(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, string? defaultModel, string? serviceTier)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? defaultModel;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("No Gemini model is set: set GeminiChatClientOptions.Model or ChatOptions.ModelId.");
        }

        var request = new GenerateContentRequest
        {
            ServiceTier = options?.AdditionalProperties?.TryGetValue(GeminiChatClient.ServiceTierPropertyName, out var tier) == true ? tier?.ToString() : serviceTier,
        };
        var system = new List<GeminiPart>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            system.Add(new GeminiPart { Text = options.Instructions });
        }

        AddMessages(messages, system, request.Contents);
        if (system.Count > 0)
        {
            request.SystemInstruction = new GeminiContent { Parts = system };
        }

        if (options is not null)
        {
            AddTools(options, request);
            request.GenerationConfig = CreateGenerationConfig(options, model);
            if (options.AdditionalProperties?.TryGetValue(GeminiChatClient.SafetySettingsPropertyName, out var safety) == true && ToElement(safety) is { } safetyElement)
            {
                request.SafetySettings = safetyElement;
            }
        }

        if (options?.RawRepresentationFactory?.Invoke(client) is { } raw && ToJsonObject(raw) is { } rawObject)
        {
            var node = JsonSerializer.SerializeToNode(request, GeminiJsonContext.Default.GenerateContentRequest)!.AsObject();
            foreach (var (name, value) in rawObject)
            {
                // The caller's raw request wins, except for the conversation, which is the call's own.
                if (name != "contents")
                {
                    node[name] = value?.DeepClone();
                }
            }

            return ((model, JsonSerializer.SerializeToUtf8Bytes(node, GeminiJsonContext.Default.JsonNode)), node["service_tier"]?.ToString());
        }

        return ((model, JsonSerializer.SerializeToUtf8Bytes(request, GeminiJsonContext.Default.GenerateContentRequest)), request.ServiceTier);
    }

    private static void AddMessages(IEnumerable<ChatMessage> messages, List<GeminiPart> system, List<GeminiContent> contents)
    {
        // Function results name their function: found from the calls earlier in the conversation.
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                foreach (var content in message.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 } text)
                    {
                        system.Add(new GeminiPart { Text = text.Text });
                    }
                }

                continue;
            }

            var role = message.Role == ChatRole.Assistant ? "model" : "user";
            var parts = new List<GeminiPart>();
            foreach (var content in message.Contents)
            {
                AddPart(content, parts, callNames);
            }

            if (parts.Count == 0)
            {
                continue;
            }

            // The API wants user and model turns; consecutive messages of one role (a tool result after a user turn) join.
            if (contents.Count > 0 && contents[^1].Role == role)
            {
                contents[^1].Parts!.AddRange(parts);
            }
            else
            {
                contents.Add(new GeminiContent { Role = role, Parts = parts });
            }
        }
    }

    private static void AddPart(AIContent content, List<GeminiPart> parts, Dictionary<string, string> callNames)
    {
        switch (content)
        {
            case TextReasoningContent reasoning:
                if (reasoning.Text.Length == 0 && reasoning.ProtectedData is { } signature)
                {
                    // A signature that came on a text part goes back on that part (or alone when the part is gone).
                    if (parts.Count > 0 && parts[^1].Text is not null && parts[^1].ThoughtSignature is null && parts[^1].Thought is null)
                    {
                        parts[^1].ThoughtSignature = signature;
                    }
                    else
                    {
                        parts.Add(new GeminiPart { Text = string.Empty, ThoughtSignature = signature });
                    }
                }
                else if (reasoning.Text.Length > 0)
                {
                    parts.Add(new GeminiPart { Text = reasoning.Text, Thought = true, ThoughtSignature = reasoning.ProtectedData });
                }

                break;

            case TextContent text when text.Text.Length > 0:
                parts.Add(new GeminiPart { Text = text.Text, ThoughtSignature = GetSignature(text.AdditionalProperties) });
                break;

            case DataContent data:
                parts.Add(new GeminiPart { InlineData = new GeminiBlob { MimeType = data.MediaType, Data = data.Base64Data.ToString() } });
                break;

            case UriContent uri:
                parts.Add(new GeminiPart { FileData = new GeminiFileData { MimeType = uri.MediaType, FileUri = uri.Uri.ToString() } });
                break;

            case FunctionCallContent call:
                callNames[call.CallId] = call.Name;
                parts.Add(new GeminiPart
                {
                    FunctionCall = new GeminiFunctionCall
                    {
                        Id = IsGenerated(call.CallId) ? null : call.CallId,
                        Name = call.Name,
                        Args = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))),
                    },
                    ThoughtSignature = GetSignature(call.AdditionalProperties),
                });
                break;

            case FunctionResultContent result:
                parts.Add(new GeminiPart
                {
                    FunctionResponse = new GeminiFunctionResponse
                    {
                        Id = IsGenerated(result.CallId) ? null : result.CallId,
                        Name = callNames.GetValueOrDefault(result.CallId) ?? GetName(result) ?? result.CallId,
                        Response = ToResponseObject(result),
                    },
                });
                break;

            default:
                // Parts this adapter does not model (executable code, its results) go back as they came.
                if (content.RawRepresentation is GeminiPart rawPart)
                {
                    parts.Add(rawPart);
                }

                break;
        }
    }

    private static bool IsGenerated(string callId) => callId.StartsWith(GeminiConstants.GeneratedCallIdPrefix, StringComparison.Ordinal);

    private static string? GetName(FunctionResultContent result) =>
        result.AdditionalProperties?.TryGetValue("name", out var name) == true ? name as string : null;

    private static string? GetSignature(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(GeminiChatClient.ThoughtSignaturePropertyName, out var value) == true ? value as string ?? (value as JsonElement?)?.GetString() : null;

    private static JsonElement ToResponseObject(FunctionResultContent result)
    {
        var node = new JsonObject();
        if (result.Exception is { } exception)
        {
            node[GeminiConstants.FunctionErrorMember] = exception.Message;
            return JsonSerializer.SerializeToElement(node, GeminiJsonContext.Default.JsonNode);
        }

        JsonElement? value = result.Result switch
        {
            null => (JsonElement?)null,
            JsonElement element => element,
            string text => JsonSerializer.SerializeToElement(text, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string))),
            var other => JsonSerializer.SerializeToElement(other, AIJsonUtilities.DefaultOptions.GetTypeInfo(other.GetType())),
        };

        if (value is { ValueKind: JsonValueKind.Object } obj)
        {
            return obj;
        }

        node[GeminiConstants.FunctionResultMember] = value is { } v ? JsonNode.Parse(v.GetRawText()) : null;
        return JsonSerializer.SerializeToElement(node, GeminiJsonContext.Default.JsonNode);
    }

    private static void AddTools(ChatOptions options, GenerateContentRequest request)
    {
        var declarations = new List<FunctionDeclaration>();
        var tools = new List<GeminiTool>();
        foreach (var tool in options.Tools ?? [])
        {
            switch (tool)
            {
                case AIFunctionDeclaration function:
                    declarations.Add(new FunctionDeclaration
                    {
                        Name = function.Name,
                        Description = string.IsNullOrEmpty(function.Description) ? null : function.Description,
                        Parameters = ToParameters(function.JsonSchema),
                    });
                    break;
                case HostedWebSearchTool:
                    tools.Add(new GeminiTool { GoogleSearch = EmptyObject() });
                    break;
                case HostedCodeInterpreterTool:
                    tools.Add(new GeminiTool { CodeExecution = EmptyObject() });
                    break;
            }
        }

        if (declarations.Count > 0)
        {
            tools.Insert(0, new GeminiTool { FunctionDeclarations = declarations });
        }

        if (tools.Count > 0)
        {
            request.Tools = tools;
        }

        if (declarations.Count > 0 && options.ToolMode is { } mode)
        {
            request.ToolConfig = new GeminiToolConfig
            {
                FunctionCallingConfig = mode switch
                {
                    NoneChatToolMode => new FunctionCallingConfig { Mode = "NONE" },
                    RequiredChatToolMode { RequiredFunctionName: { } name } => new FunctionCallingConfig { Mode = "ANY", AllowedFunctionNames = [name] },
                    RequiredChatToolMode => new FunctionCallingConfig { Mode = "ANY" },
                    _ => new FunctionCallingConfig { Mode = "AUTO" },
                },
            };
        }
    }

    private static JsonElement? ToParameters(JsonElement schema)
    {
        // A function without parameters declares none (an empty OBJECT schema is rejected by some models).
        if (schema.ValueKind != JsonValueKind.Object ||
            (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object && !properties.EnumerateObject().Any()) ||
            !schema.TryGetProperty("properties", out _))
        {
            return null;
        }

        return GeminiSchema.Convert(schema);
    }

    private static GenerationConfig? CreateGenerationConfig(ChatOptions options, string model)
    {
        var config = new GenerationConfig
        {
            Temperature = options.Temperature,
            TopP = options.TopP,
            TopK = options.TopK,
            MaxOutputTokens = options.MaxOutputTokens,
            StopSequences = options.StopSequences is { Count: > 0 } stops ? stops : null,
            Seed = options.Seed,
            PresencePenalty = options.PresencePenalty,
            FrequencyPenalty = options.FrequencyPenalty,
        };

        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema }:
                config.ResponseMimeType = "application/json";
                config.ResponseSchema = GeminiSchema.Convert(schema);
                break;
            case ChatResponseFormatJson:
                config.ResponseMimeType = "application/json";
                break;
        }

        if (options.Reasoning is { } reasoning)
        {
            var gemini3 = model.StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase);
            var thinking = new ThinkingConfig
            {
                IncludeThoughts = reasoning.Output switch
                {
                    ReasoningOutput.None => false,
                    null => null,
                    _ => true,
                },
            };
            if (reasoning.Effort is { } effort)
            {
                if (gemini3)
                {
                    thinking.ThinkingLevel = GeminiConstants.ThinkingLevel(effort);
                }
                else
                {
                    thinking.ThinkingBudget = GeminiConstants.ThinkingBudget(effort);
                }
            }

            config.ThinkingConfig = thinking;
        }

        return config.Temperature is null && config.TopP is null && config.TopK is null && config.MaxOutputTokens is null && config.StopSequences is null &&
               config.Seed is null && config.PresencePenalty is null && config.FrequencyPenalty is null && config.ResponseMimeType is null && config.ThinkingConfig is null
            ? null
            : config;
    }

    private static JsonElement EmptyObject() => JsonSerializer.SerializeToElement(new JsonObject(), GeminiJsonContext.Default.JsonNode);

    private static JsonElement? ToElement(object? value) => value switch
    {
        JsonElement element => element,
        JsonNode node => JsonSerializer.SerializeToElement(node, GeminiJsonContext.Default.JsonNode),
        string text => JsonDocument.Parse(text).RootElement.Clone(),
        _ => null,
    };

    private static JsonObject? ToJsonObject(object raw) => raw switch
    {
        JsonObject node => node,
        JsonElement { ValueKind: JsonValueKind.Object } element => JsonNode.Parse(element.GetRawText())?.AsObject(),
        string text => JsonNode.Parse(text) as JsonObject,
        _ => null,
    };
}
