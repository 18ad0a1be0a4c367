// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;
using LlmAdapters.Ollama.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Internal;

/// <summary>Turns M.E.AI messages and options into an <c>/api/chat</c> request, and answers back into M.E.AI types.</summary>
internal static partial class OllamaMapper
{
    private static readonly JsonElement s_true = JsonSerializer.SerializeToElement(true, OllamaJsonContext.Default.Boolean);
    private static readonly JsonElement s_false = JsonSerializer.SerializeToElement(false, OllamaJsonContext.Default.Boolean);
    private static readonly JsonElement s_json = JsonSerializer.SerializeToElement("json", OllamaJsonContext.Default.String);
    private static readonly JsonElement s_emptyObjectSchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>Builds the request body.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The request options.</param>
    /// <param name="clientOptions">The client options.</param>
    /// <param name="stream">Whether to stream.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    public static byte[] CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, OllamaChatClientOptions clientOptions, bool stream)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ConversationId is not null)
        {
            throw new NotSupportedException("Ollama's chat API is stateless: ChatOptions.ConversationId is not supported. Send the whole history instead.");
        }

        var model = options?.ModelId ?? clientOptions.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("No model: set ChatOptions.ModelId or OllamaChatClientOptions.Model (Ollama serves the models pulled with `ollama pull`).");
        }

        var request = new OllamaChatRequest { Model = model, Stream = stream };
        AddMessages(messages, request.Messages);

        if (options?.Tools is { Count: > 0 } tools && options.ToolMode is not NoneChatToolMode)
        {
            request.Tools = [];
            foreach (var tool in tools)
            {
                if (tool is not AIFunctionDeclaration function)
                {
                    throw new NotSupportedException($"Ollama supports function tools only; '{tool.Name}' ({tool.GetType().Name}) is not one.");
                }

                request.Tools.Add(new OllamaTool
                {
                    Function = new OllamaFunction
                    {
                        Name = function.Name,
                        Description = string.IsNullOrEmpty(function.Description) ? null : function.Description,
                        Parameters = function.JsonSchema.ValueKind == JsonValueKind.Object ? function.JsonSchema : s_emptyObjectSchema,
                    },
                });
            }
        }

        request.Format = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } => schema,
            ChatResponseFormatJson => s_json,
            _ => null,
        };

        if (options?.Reasoning is { } reasoning)
        {
            request.Think = Think(reasoning, model);
        }

        if (clientOptions.KeepAlive is { } keepAlive)
        {
            request.KeepAlive = JsonSerializer.SerializeToElement(keepAlive, OllamaJsonContext.Default.String);
        }

        var modelOptions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        NativeJson.SetSamplingOptions(modelOptions, options, "num_predict");

        if (clientOptions.ContextLength is { } contextLength)
        {
            modelOptions.TryAdd("num_ctx", NativeJson.ToElement(contextLength));
        }

        foreach (var (key, value) in options?.AdditionalProperties ?? [])
        {
            // A key with a dot is ours (a tenant, a cache hint): it stays local. keep_alive and think are request members.
            if (value is null || key.Contains('.', StringComparison.Ordinal))
            {
                continue;
            }

            switch (key)
            {
                case "keep_alive":
                    request.KeepAlive = NativeJson.ToElement(value);
                    break;
                case "think":
                    request.Think = NativeJson.ToElement(value);
                    break;
                default:
                    modelOptions[key] = NativeJson.ToElement(value);
                    break;
            }
        }

        request.Options = modelOptions.Count > 0 ? modelOptions : null;
        return Native.NativeHttpTransport.Serialize(request, OllamaJsonContext.Default.OllamaChatRequest);
    }

    /// <summary><c>think</c>: off for effort None; a level for the models that take one (gpt-oss); otherwise on.</summary>
    private static JsonElement Think(ReasoningOptions reasoning, string model)
    {
        if (reasoning.Effort == ReasoningEffort.None)
        {
            return s_false;
        }

        if (reasoning.Effort is { } effort && model.StartsWith("gpt-oss", StringComparison.OrdinalIgnoreCase))
        {
            var level = effort switch
            {
                ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                _ => "high",
            };
            return JsonSerializer.SerializeToElement(level, OllamaJsonContext.Default.String);
        }

        return s_true;
    }

    private static void AddMessages(IEnumerable<ChatMessage> messages, List<OllamaMessage> result)
    {
        // Tool results name their function: found from the call with the same id earlier in the history.
        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            var role = NativeJson.RoleName(message.Role);
            var mapped = new OllamaMessage { Role = role };
            var text = new System.Text.StringBuilder();
            var thinking = new System.Text.StringBuilder();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r:
                        thinking.Append(r.Text);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        (mapped.Images ??= []).Add(Convert.ToBase64String(data.Data.Span));
                        break;
                    case DataContent data:
                        throw new NotSupportedException($"Ollama takes images only; a {data.MediaType} DataContent cannot be sent.");
                    case UriContent uri:
                        throw new NotSupportedException($"Ollama cannot fetch URLs: download {uri.Uri} and pass its bytes as a DataContent.");
                    case FunctionCallContent call:
                        callNames[call.CallId] = call.Name;
                        (mapped.ToolCalls ??= []).Add(new OllamaToolCall
                        {
                            Id = OllamaConstants.IsGenerated(call.CallId) ? null : call.CallId,
                            Function = new OllamaFunctionCall { Name = call.Name, Arguments = NativeJson.ToElement(call.Arguments ?? new Dictionary<string, object?>()) },
                        });
                        break;
                    case FunctionResultContent functionResult:
                        // Each result is a tool message of its own.
                        result.Add(new OllamaMessage
                        {
                            Role = "tool",
                            Content = NativeJson.FunctionResultText(functionResult.Result),
                            ToolName = callNames.GetValueOrDefault(functionResult.CallId),
                            ToolCallId = OllamaConstants.IsGenerated(functionResult.CallId) ? null : functionResult.CallId,
                        });
                        break;
                }
            }

            if (text.Length == 0 && thinking.Length == 0 && mapped.Images is null && mapped.ToolCalls is null)
            {
                continue;
            }

            mapped.Content = text.ToString();
            mapped.Thinking = thinking.Length > 0 ? thinking.ToString() : null;
            result.Add(mapped);
        }
    }
}
