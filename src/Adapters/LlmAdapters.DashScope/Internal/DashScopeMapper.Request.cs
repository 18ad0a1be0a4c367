// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.DashScope.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Internal;

/// <summary>Turns M.E.AI messages and options into a DashScope generation request, and answers back into M.E.AI types.</summary>
internal static partial class DashScopeMapper
{
    private static readonly JsonSerializerOptions s_compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>Builds the request body.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The request options.</param>
    /// <param name="clientOptions">The client options.</param>
    /// <param name="stream">Whether to stream (<c>incremental_output</c>).</param>
    /// <returns>The UTF-8 JSON body and the plan.</returns>
    public static (byte[] Body, RequestPlan Plan) CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, DashScopeChatClientOptions clientOptions, bool stream)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ConversationId is not null)
        {
            throw new NotSupportedException("DashScope's generation API is stateless: ChatOptions.ConversationId is not supported. Send the whole history instead.");
        }

        var model = options?.ModelId ?? clientOptions.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("No model: set ChatOptions.ModelId or DashScopeChatClientOptions.Model.");
        }

        var list = messages as IList<ChatMessage> ?? [.. messages];
        var multimodal = DashScopeConstants.IsMultimodalModel(model) ||
                         list.Any(m => m.Contents.Any(c => c is DataContent d && d.HasTopLevelMediaType("image") || c is UriContent u && u.HasTopLevelMediaType("image")));
        var request = new GenerationRequest { Model = model };
        AddMessages(list, request.Input.Messages, multimodal);

        var parameters = request.Parameters;
        parameters["result_format"] = NativeJson.ToElement("message");
        if (stream)
        {
            parameters["incremental_output"] = NativeJson.ToElement(true);
        }

        NativeJson.SetSamplingOptions(parameters, options, "max_tokens");

        if (options?.Reasoning is { } reasoning)
        {
            var enabled = reasoning.Effort != ReasoningEffort.None;
            parameters["enable_thinking"] = NativeJson.ToElement(enabled);
            if (enabled && reasoning.Effort is { } effort)
            {
                parameters["thinking_budget"] = NativeJson.ToElement(DashScopeConstants.ThinkingBudget(effort));
            }
        }

        if (options?.Tools is { Count: > 0 } tools)
        {
            var declared = new List<Dictionary<string, object?>>();
            foreach (var tool in tools)
            {
                if (tool is not AIFunctionDeclaration function)
                {
                    throw new NotSupportedException($"DashScope's generation API takes function tools only; '{tool.Name}' ({tool.GetType().Name}) is not one. Use AdditionalProperties[\"enable_search\"] = true for web search.");
                }

                var declaration = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = function.Name };
                if (!string.IsNullOrEmpty(function.Description))
                {
                    declaration["description"] = function.Description;
                }

                declaration["parameters"] = function.JsonSchema;
                declared.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "function", ["function"] = declaration });
            }

            parameters["tools"] = NativeJson.ToElement(declared);
            switch (options.ToolMode)
            {
                case NoneChatToolMode:
                    parameters["tool_choice"] = NativeJson.ToElement("none");
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    parameters["tool_choice"] = NativeJson.ToElement(new Dictionary<string, object?> { ["type"] = "function", ["function"] = new Dictionary<string, object?> { ["name"] = name } });
                    break;
                case RequiredChatToolMode:
                    // DashScope has no "required": the closest is letting the model choose.
                    parameters["tool_choice"] = NativeJson.ToElement("auto");
                    break;
            }
        }

        switch (options?.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                parameters["response_format"] = NativeJson.ToElement(new Dictionary<string, object?>
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new Dictionary<string, object?> { ["name"] = json.SchemaName ?? "response", ["schema"] = schema },
                });
                break;
            case ChatResponseFormatJson:
                parameters["response_format"] = NativeJson.ToElement(new Dictionary<string, object?> { ["type"] = "json_object" });
                break;
        }

        foreach (var (key, value) in options?.AdditionalProperties ?? [])
        {
            // A key with a dot is ours (a tenant, a cache hint): it stays local. The rest are parameters (enable_search, repetition_penalty…).
            if (value is not null && !key.Contains('.', StringComparison.Ordinal))
            {
                parameters[key] = NativeJson.ToElement(value);
            }
        }

        return (Native.NativeHttpTransport.Serialize(request, DashScopeJsonContext.Default.GenerationRequest), new RequestPlan(model, multimodal));
    }

    private static void AddMessages(IList<ChatMessage> messages, List<DashScopeMessage> result, bool multimodal)
    {
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            var role = NativeJson.RoleName(message.Role);
            var text = new System.Text.StringBuilder();
            var parts = new List<Dictionary<string, string>>();
            List<DashScopeToolCall>? calls = null;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        if (multimodal)
                        {
                            parts.Add(new() { ["text"] = t.Text });
                        }

                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        parts.Add(new() { ["image"] = data.Uri });
                        break;
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        parts.Add(new() { ["image"] = uri.Uri.ToString() });
                        break;
                    case DataContent or UriContent:
                        throw new NotSupportedException($"The DashScope adapter sends images only; {((content as DataContent)?.MediaType ?? (content as UriContent)?.MediaType)} content cannot be sent.");
                    case FunctionCallContent call:
                        (calls ??= []).Add(new DashScopeToolCall
                        {
                            Id = call.CallId,
                            Type = "function",
                            Function = new DashScopeFunctionCall { Name = call.Name, Arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), s_compact.GetTypeInfo(typeof(IDictionary<string, object?>))) },
                        });
                        break;
                    case FunctionResultContent functionResult:
                        result.Add(new DashScopeMessage
                        {
                            Role = "tool",
                            Content = NativeJson.ToElement(NativeJson.FunctionResultText(functionResult.Result)),
                            ToolCallId = functionResult.CallId,
                        });
                        break;
                }
            }

            if (text.Length == 0 && parts.Count == 0 && calls is null)
            {
                continue;
            }

            result.Add(new DashScopeMessage
            {
                Role = role,
                Content = multimodal ? NativeJson.ToElement(parts) : NativeJson.ToElement(text.ToString()),
                ToolCalls = calls,
            });
        }
    }
}
