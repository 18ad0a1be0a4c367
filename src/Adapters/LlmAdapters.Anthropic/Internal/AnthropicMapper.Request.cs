// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.Anthropic.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>Turns M.E.AI messages and options into a Messages API request, and responses back into M.E.AI types.</summary>
internal static partial class AnthropicMapper
{
    private static readonly AIJsonSchemaTransformCache s_schemaTransform = new(new AIJsonSchemaTransformOptions
    {
        // The API's structured output requires closed objects.
        DisallowAdditionalProperties = true,
    });

    private static readonly JsonElement s_ephemeral = ParseElement("""{"type":"ephemeral"}""");
    private static readonly JsonElement s_ephemeral5m = ParseElement("""{"type":"ephemeral","ttl":"5m"}""");
    private static readonly JsonElement s_ephemeral1h = ParseElement("""{"type":"ephemeral","ttl":"1h"}""");
    private static readonly JsonElement s_emptyObject = ParseElement("{}");
    private static readonly JsonElement s_emptyObjectSchema = ParseElement("""{"type":"object","properties":{}}""");
    private static readonly JsonElement s_anyObjectSchema = ParseElement("""{"type":"object"}""");

    /// <summary>Builds the request body.</summary>
    /// <param name="client">The client, passed to <see cref="ChatOptions.RawRepresentationFactory"/>.</param>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The request options.</param>
    /// <param name="clientOptions">The client options.</param>
    /// <param name="stream">Whether to stream.</param>
    /// <returns>The body, and what the response mapping must know of the request.</returns>
    public static (byte[] Body, RequestPlan Plan) CreateRequest(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, AnthropicChatClientOptions clientOptions, bool stream)
    {
        if (options?.ConversationId is not null)
        {
            throw new NotSupportedException("The Anthropic Messages API is stateless: ChatOptions.ConversationId is not supported. Send the whole history instead.");
        }

        if (options?.ContinuationToken is not null)
        {
            throw new NotSupportedException("The Anthropic Messages API has no background responses: ChatOptions.ContinuationToken is not supported.");
        }

        var model = options?.ModelId ?? clientOptions.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("No model: set ChatOptions.ModelId or AnthropicChatClientOptions.Model.");
        }

        var request = new MessagesRequest { Model = model, Stream = stream ? true : null };

        // Thinking first: its budget decides max_tokens.
        int? budget = null;
        if (options?.Reasoning is { } reasoning)
        {
            request.Thinking = CreateThinking(reasoning, out budget);
        }

        if (options?.MaxOutputTokens is { } maxOutputTokens)
        {
            if (budget is { } b)
            {
                if (maxOutputTokens <= AnthropicConstants.MinThinkingBudget)
                {
                    throw new ArgumentException(
                        $"Extended thinking needs ChatOptions.MaxOutputTokens above {AnthropicConstants.MinThinkingBudget} (it includes the thinking budget); it is {maxOutputTokens}.",
                        nameof(options));
                }

                // max_tokens includes the thinking: keep at least half of it for the answer.
                request.Thinking!.BudgetTokens = Math.Min(b, Math.Max(AnthropicConstants.MinThinkingBudget, maxOutputTokens / 2));
            }

            request.MaxTokens = maxOutputTokens;
        }
        else
        {
            request.MaxTokens = clientOptions.DefaultMaxOutputTokens + (budget ?? 0);
        }

        request.Temperature = options?.Temperature;
        request.TopP = options?.TopP;
        request.TopK = options?.TopK;
        if (options?.StopSequences is { Count: > 0 } stops)
        {
            request.StopSequences = [.. stops];
        }

        var systemBlocks = new List<RequestBlock>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            systemBlocks.Add(new RequestBlock { Type = "text", Text = options.Instructions });
        }

        AddMessages(messages, systemBlocks, request.Messages);
        if (systemBlocks.Count > 0)
        {
            request.System = ToStringOrBlocks(systemBlocks);
        }

        var hasFunctions = false;
        if (options?.Tools is { Count: > 0 } tools)
        {
            request.Tools = [];
            foreach (var tool in tools)
            {
                request.Tools.Add(CreateTool(tool));
                hasFunctions |= tool is AIFunctionDeclaration;
            }
        }

        var disableParallel = options?.AllowMultipleToolCalls == false ? true : (bool?)null;
        if (request.Tools is not null)
        {
            request.ToolChoice = options?.ToolMode switch
            {
                NoneChatToolMode => new ToolChoice { Type = "none" },
                AutoChatToolMode => new ToolChoice { Type = "auto", DisableParallelToolUse = disableParallel },
                RequiredChatToolMode { RequiredFunctionName: null } => new ToolChoice { Type = "any", DisableParallelToolUse = disableParallel },
                RequiredChatToolMode required => new ToolChoice { Type = "tool", Name = required.RequiredFunctionName, DisableParallelToolUse = disableParallel },
                _ => disableParallel is null ? null : new ToolChoice { Type = "auto", DisableParallelToolUse = disableParallel },
            };
        }

        string? responseTool = null;
        var wrapped = false;
        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            var native = clientOptions.NativeStructuredOutput ?? AnthropicConstants.HasNativeStructuredOutput(model);
            if (native && json.Schema is not null)
            {
                request.OutputConfig = new OutputConfig
                {
                    Format = new OutputFormat { Schema = s_schemaTransform.GetOrCreateTransformedSchema(json) ?? json.Schema.Value },
                };
            }
            else
            {
                responseTool = AnthropicConstants.ResponseToolName;
                var (schema, isWrapped) = CreateResponseToolSchema(json.Schema);
                wrapped = isWrapped;
                (request.Tools ??= []).Add(new ToolDefinition
                {
                    Name = responseTool,
                    Description = json.SchemaDescription ??
                        (json.SchemaName is { } name ? $"Give the final answer, a {name}, as this tool's input." : "Give the final answer as this tool's input."),
                    InputSchema = schema,
                });

                // Extended thinking forbids a forced tool; with functions to call, any tool is forced; otherwise this one.
                var thinking = request.Thinking is { Type: "enabled" or "adaptive" };
                request.ToolChoice = thinking || options.ToolMode is NoneChatToolMode
                    ? new ToolChoice { Type = "auto", DisableParallelToolUse = disableParallel }
                    : hasFunctions && options.ToolMode is not RequiredChatToolMode { RequiredFunctionName: not null }
                        ? new ToolChoice { Type = "any", DisableParallelToolUse = disableParallel }
                        : new ToolChoice { Type = "tool", Name = responseTool, DisableParallelToolUse = disableParallel };
            }
        }

        var plan = new RequestPlan(responseTool, wrapped);
        if (options?.RawRepresentationFactory?.Invoke(client) is { } raw && ToJsonObject(raw) is { } rawObject)
        {
            var node = JsonSerializer.SerializeToNode(request, AnthropicJsonContext.Default.MessagesRequest)!.AsObject();
            foreach (var (name, value) in rawObject)
            {
                // The caller's raw request wins, except for the conversation and the streaming switch, which are the call's own.
                if (name is not ("messages" or "stream"))
                {
                    node[name] = value?.DeepClone();
                }
            }

            return (JsonSerializer.SerializeToUtf8Bytes(node, AnthropicJsonContext.Default.JsonNode), plan);
        }

        return (JsonSerializer.SerializeToUtf8Bytes(request, AnthropicJsonContext.Default.MessagesRequest), plan);
    }

    private static ThinkingConfig CreateThinking(ReasoningOptions reasoning, out int? budget)
    {
        budget = null;
        if (reasoning.Effort == ReasoningEffort.None)
        {
            return new ThinkingConfig { Type = "disabled" };
        }

        var display = reasoning.Output switch
        {
            ReasoningOutput.Summary => "summarized",
            ReasoningOutput.None => "omitted",
            _ => null,
        };

        if (reasoning.Effort is not { } effort)
        {
            // No effort: the model decides how much to think.
            return new ThinkingConfig { Type = "adaptive", Display = display };
        }

        budget = AnthropicConstants.ThinkingBudget(effort);
        return new ThinkingConfig { Type = "enabled", BudgetTokens = budget, Display = display };
    }

    private static void AddMessages(IEnumerable<ChatMessage> messages, List<RequestBlock> systemBlocks, List<RequestMessage> result)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                var start = systemBlocks.Count;
                foreach (var content in message.Contents)
                {
                    if (content is TextContent { Text.Length: > 0 } text)
                    {
                        systemBlocks.Add(new RequestBlock { Type = "text", Text = text.Text, CacheControl = ReadCacheControl(text.AdditionalProperties) });
                    }
                }

                if (systemBlocks.Count > start && ReadCacheControl(message.AdditionalProperties) is { } systemCache)
                {
                    systemBlocks[^1].CacheControl = systemCache;
                }

                continue;
            }

            var assistant = message.Role == ChatRole.Assistant;
            var role = assistant ? "assistant" : "user";
            var target = result.Count > 0 && result[^1].Role == role ? result[^1] : null;
            var blocks = new List<RequestBlock>();
            foreach (var content in message.Contents)
            {
                if (CreateBlock(content, assistant) is { } block)
                {
                    blocks.Add(block);
                }
            }

            if (blocks.Count == 0)
            {
                continue;
            }

            if (ReadCacheControl(message.AdditionalProperties) is { } cache)
            {
                blocks[^1].CacheControl = cache;
            }

            if (target is null)
            {
                target = new RequestMessage { Role = role };
                result.Add(target);
            }

            // Consecutive messages of one role are merged: the API wants the roles to alternate.
            target.Blocks.AddRange(blocks);
        }

        foreach (var message in result)
        {
            if (message.Role == "user" && message.Blocks.Exists(static b => b.Type == "tool_result"))
            {
                // tool_result blocks must open the user turn that answers the tool calls.
                var ordered = message.Blocks.Where(static b => b.Type == "tool_result").Concat(message.Blocks.Where(static b => b.Type != "tool_result")).ToList();
                message.Blocks.Clear();
                message.Blocks.AddRange(ordered);
            }

            message.Content = ToStringOrBlocks(message.Blocks);
        }
    }

    private static RequestBlock? CreateBlock(AIContent content, bool assistant)
    {
        switch (content)
        {
            case TextContent text:
                return string.IsNullOrEmpty(text.Text) ? null :
                    new RequestBlock { Type = "text", Text = text.Text, CacheControl = ReadCacheControl(text.AdditionalProperties) };

            case TextReasoningContent reasoning:
                if (!assistant)
                {
                    return null;
                }

                if (IsRedactedThinking(reasoning))
                {
                    return reasoning.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } rawRedacted
                        ? RawBlock(rawRedacted)
                        : new RequestBlock { Type = "redacted_thinking", Data = reasoning.ProtectedData };
                }

                // Thinking without its signature cannot be verified by the API: it is left out (e.g. reasoning of another provider).
                return reasoning.ProtectedData is null ? null :
                    new RequestBlock { Type = "thinking", Thinking = reasoning.Text ?? string.Empty, Signature = reasoning.ProtectedData };

            case FunctionCallContent call:
                return new RequestBlock
                {
                    Type = "tool_use",
                    Id = call.CallId,
                    Name = call.Name,
                    Input = call.Arguments is null ? s_emptyObject :
                        JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))),
                    CacheControl = ReadCacheControl(call.AdditionalProperties),
                };

            case FunctionResultContent result:
                return new RequestBlock
                {
                    Type = "tool_result",
                    ToolUseId = result.CallId,
                    Content = CreateToolResultContent(result),
                    IsError = result.Exception is not null ? true : null,
                    CacheControl = ReadCacheControl(result.AdditionalProperties),
                };

            case DataContent data:
                return CreateMediaBlock(data, data.MediaType, new BlockSource { Type = "base64", MediaType = data.MediaType, Data = data.Base64Data.ToString() });

            case UriContent uri:
                return CreateMediaBlock(uri, uri.MediaType, new BlockSource { Type = "url", Url = uri.Uri.AbsoluteUri });

            case UsageContent or ErrorContent:
                return null;

            default:
                // Server tool blocks (web search) and blocks this adapter does not know go back exactly as they came.
                return assistant && content.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } raw ? RawBlock(raw) : null;
        }
    }

    private static RequestBlock CreateMediaBlock(AIContent content, string mediaType, BlockSource source)
    {
        string type;
        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            type = "image";
        }
        else if (string.Equals(mediaType, "application/pdf", StringComparison.OrdinalIgnoreCase))
        {
            type = "document";
        }
        else if (string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase) && content is DataContent data)
        {
            type = "document";
            source = new BlockSource { Type = "text", MediaType = "text/plain", Data = System.Text.Encoding.UTF8.GetString(data.Data.Span) };
        }
        else
        {
            throw new NotSupportedException(
                $"The Anthropic Messages API takes images (image/*), PDF documents (application/pdf) and plain-text documents; '{mediaType}' is not supported.");
        }

        return new RequestBlock { Type = type, Source = source, CacheControl = ReadCacheControl(content.AdditionalProperties) };
    }

    private static JsonElement? CreateToolResultContent(FunctionResultContent result)
    {
        switch (result.Result)
        {
            case null:
                return result.Exception is not null ? StringElement("Error: the function failed.") : null;
            case string text:
                return StringElement(text);
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element;
            case JsonElement element:
                return StringElement(element.GetRawText());
            case AIContent single:
                return ToolResultBlocks([single]);
            case IEnumerable<AIContent> contents:
                return ToolResultBlocks(contents);
            default:
                return StringElement(JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.Result.GetType())));
        }
    }

    private static JsonElement ToolResultBlocks(IEnumerable<AIContent> contents)
    {
        var blocks = new List<RequestBlock>();
        foreach (var content in contents)
        {
            if (content is TextContent or DataContent or UriContent && CreateBlock(content, assistant: false) is { } block)
            {
                blocks.Add(block);
            }
        }

        return JsonSerializer.SerializeToElement(blocks, AnthropicJsonContext.Default.ListRequestBlock);
    }

    private static ToolDefinition CreateTool(AITool tool)
    {
        switch (tool)
        {
            case AIFunctionDeclaration function:
                var schema = function.JsonSchema;
                return new ToolDefinition
                {
                    Name = function.Name,
                    Description = function.Description,
                    InputSchema = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out _) ? schema : s_emptyObjectSchema,
                    CacheControl = ReadCacheControl(function.AdditionalProperties),
                };

            case HostedWebSearchTool webSearch:
                return new ToolDefinition
                {
                    Type = AnthropicConstants.WebSearchToolType,
                    Name = "web_search",
                    MaxUses = webSearch.AdditionalProperties.TryGetValue("max_uses", out var maxUses) && maxUses is int max ? max : null,
                    CacheControl = ReadCacheControl(webSearch.AdditionalProperties),
                };

            default:
                throw new NotSupportedException(
                    $"The Anthropic adapter does not support the tool '{tool.Name}' ({tool.GetType().Name}); it takes AIFunction declarations and HostedWebSearchTool.");
        }
    }

    private static (JsonElement Schema, bool Wrapped) CreateResponseToolSchema(JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } s)
        {
            return (s_anyObjectSchema, false);
        }

        if (s.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("object"))
        {
            return (s, false);
        }

        // A tool's input is an object: any other answer (an array, a number) is wrapped in {"value": …}.
        var inner = JsonNode.Parse(s.GetRawText())!.AsObject();
        var wrapper = new JsonObject();
        foreach (var key in (string[])["$schema", "$defs", "definitions"])
        {
            if (inner.Remove(key, out var moved))
            {
                wrapper[key] = moved;
            }
        }

        wrapper["type"] = "object";
        wrapper["properties"] = new JsonObject { [AnthropicConstants.ResponseToolValueProperty] = inner };
        wrapper["required"] = new JsonArray(AnthropicConstants.ResponseToolValueProperty);
        wrapper["additionalProperties"] = false;
        return (JsonSerializer.SerializeToElement(wrapper, AnthropicJsonContext.Default.JsonNode), true);
    }

    /// <summary>Reads the <c>cache_control</c> additional property: <c>"ephemeral"</c>, <c>"5m"</c>, <c>"1h"</c>, <see langword="true"/>, or a JSON object.</summary>
    private static JsonElement? ReadCacheControl(IReadOnlyDictionary<string, object?>? properties)
    {
        if (properties is null || !properties.TryGetValue(AnthropicChatClient.CacheControlPropertyName, out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            true => s_ephemeral,
            false => null,
            string s when s.Equals("ephemeral", StringComparison.OrdinalIgnoreCase) => s_ephemeral,
            string s when s.Equals("5m", StringComparison.OrdinalIgnoreCase) => s_ephemeral5m,
            string s when s.Equals("1h", StringComparison.OrdinalIgnoreCase) => s_ephemeral1h,
            JsonElement { ValueKind: JsonValueKind.Object } element => element,
            JsonElement { ValueKind: JsonValueKind.String } element => ReadCacheControl(new Dictionary<string, object?> { [AnthropicChatClient.CacheControlPropertyName] = element.GetString() }),
            JsonObject node => JsonSerializer.SerializeToElement(node, AnthropicJsonContext.Default.JsonNode),
            _ => throw new ArgumentException(
                $"The '{AnthropicChatClient.CacheControlPropertyName}' additional property must be \"ephemeral\", \"5m\", \"1h\", true, or a JSON object; it is {value}."),
        };
    }

    private static bool IsRedactedThinking(TextReasoningContent reasoning) =>
        reasoning.AdditionalProperties?.TryGetValue(AnthropicChatClient.RedactedThinkingPropertyName, out var flag) == true && flag is true or JsonElement { ValueKind: JsonValueKind.True } ||
        reasoning.RawRepresentation is JsonElement { ValueKind: JsonValueKind.Object } raw && raw.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("redacted_thinking");

    private static RequestBlock RawBlock(JsonElement raw)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in raw.EnumerateObject())
        {
            members[property.Name] = property.Value;
        }

        return new RequestBlock { Raw = members };
    }

    private static JsonElement ToStringOrBlocks(List<RequestBlock> blocks) =>
        blocks is [{ Type: "text", CacheControl: null, Raw: null } only]
            ? StringElement(only.Text!)
            : JsonSerializer.SerializeToElement(blocks, AnthropicJsonContext.Default.ListRequestBlock);

    private static JsonElement StringElement(string text) => JsonSerializer.SerializeToElement(text, AnthropicJsonContext.Default.String);

    private static JsonObject? ToJsonObject(object raw) => raw switch
    {
        JsonObject node => node,
        JsonElement { ValueKind: JsonValueKind.Object } element => JsonNode.Parse(element.GetRawText())?.AsObject(),
        _ => null,
    };

    private static JsonElement ParseElement(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
