// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Anthropic.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>Response mapping.</summary>
internal static partial class AnthropicMapper
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>cache_creation_input_tokens</c>.</summary>
    public const string CacheCreationInputTokensKey = "cache_creation_input_tokens";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>cache_creation.ephemeral_5m_input_tokens</c>.</summary>
    public const string CacheCreation5mKey = "cache_creation.ephemeral_5m_input_tokens";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>cache_creation.ephemeral_1h_input_tokens</c>.</summary>
    public const string CacheCreation1hKey = "cache_creation.ephemeral_1h_input_tokens";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>server_tool_use.web_search_requests</c>.</summary>
    public const string WebSearchRequestsKey = "server_tool_use.web_search_requests";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>server_tool_use.web_fetch_requests</c>.</summary>
    public const string WebFetchRequestsKey = "server_tool_use.web_fetch_requests";

    /// <summary>Maps a whole message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="plan">What the request declared.</param>
    /// <param name="createdAt">When the response arrived (the API does not say when it was created).</param>
    /// <returns>The response.</returns>
    public static ChatResponse ToChatResponse(MessageResponse message, RequestPlan plan, DateTimeOffset createdAt)
    {
        var contents = new List<AIContent>();
        foreach (var raw in message.Content ?? [])
        {
            var block = raw.Deserialize(AnthropicJsonContext.Default.ResponseBlock);
            if (block is not null)
            {
                contents.Add(ToContent(block, raw.Clone(), plan));
            }
        }

        var chatMessage = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = message.Id,
            CreatedAt = createdAt,
            RawRepresentation = message,
        };

        var response = new ChatResponse(chatMessage)
        {
            ResponseId = message.Id,
            ModelId = message.Model,
            CreatedAt = createdAt,
            FinishReason = ToFinishReason(message.StopReason, plan, contents.Exists(static c => c is FunctionCallContent)),
            Usage = ToUsage(message.Usage),
            RawRepresentation = message,
        };

        AddStopDetails(response.AdditionalProperties ??= [], message.StopSequence, message.StopDetails);
        AddServiceTier(response.AdditionalProperties, message.Usage);
        if (response.AdditionalProperties.Count == 0)
        {
            response.AdditionalProperties = null;
        }

        return response;
    }

    /// <summary>Maps one complete content block.</summary>
    /// <param name="block">The block.</param>
    /// <param name="raw">The block's JSON, kept as the raw representation.</param>
    /// <param name="plan">What the request declared.</param>
    /// <returns>The content.</returns>
    public static AIContent ToContent(ResponseBlock block, JsonElement raw, RequestPlan plan)
    {
        switch (block.Type)
        {
            case "text":
                var text = new TextContent(block.Text) { RawRepresentation = raw };
                if (block.Citations is { Count: > 0 } citations)
                {
                    text.Annotations = [.. citations.Select(ToAnnotation)];
                }

                return text;

            case "thinking":
                return new TextReasoningContent(block.Thinking) { ProtectedData = block.Signature, RawRepresentation = raw };

            case "redacted_thinking":
                return CreateRedactedThinking(block.Data, raw);

            case "tool_use" when plan.ResponseToolName is not null && block.Name == plan.ResponseToolName:
                return new TextContent(ResponseToolAnswer(block.Input, plan)) { RawRepresentation = raw };

            case "tool_use":
                return NativeJson.WithArgumentsCheck(new FunctionCallContent(block.Id ?? string.Empty, block.Name ?? string.Empty, ParseArguments(block.Input)) { RawRepresentation = raw }, block.Input);

            default:
                // Server tool use (web search), its results, and block types this adapter does not know: kept raw,
                // so that they go back to the API as they came; never surfaced as calls for the client to run.
                return new AIContent { RawRepresentation = raw };
        }
    }

    /// <summary>Creates the content of a <c>redacted_thinking</c> block.</summary>
    /// <param name="data">The encrypted data.</param>
    /// <param name="raw">The block's JSON.</param>
    /// <returns>The content.</returns>
    public static TextReasoningContent CreateRedactedThinking(string? data, JsonElement raw) => new(string.Empty)
    {
        ProtectedData = data,
        RawRepresentation = raw,
        AdditionalProperties = new() { [AnthropicChatClient.RedactedThinkingPropertyName] = true },
    };

    /// <summary>Gets the answer text carried by the forced response tool.</summary>
    /// <param name="input">The tool input.</param>
    /// <param name="plan">What the request declared.</param>
    /// <returns>The JSON text of the answer.</returns>
    public static string ResponseToolAnswer(JsonElement? input, RequestPlan plan)
    {
        if (input is not { } value)
        {
            return "{}";
        }

        if (plan.ResponseToolWrapped && value.ValueKind == JsonValueKind.Object &&
            value.TryGetProperty(AnthropicConstants.ResponseToolValueProperty, out var inner))
        {
            return inner.GetRawText();
        }

        return value.GetRawText();
    }

    /// <summary>Parses tool input into arguments whose values are <see cref="JsonElement"/>s.</summary>
    /// <param name="input">The input object.</param>
    /// <returns>The arguments.</returns>
    public static Dictionary<string, object?> ParseArguments(JsonElement? input) => NativeJson.ParseArguments(input);

    /// <summary>Maps a stop reason.</summary>
    /// <param name="stopReason">The stop reason.</param>
    /// <param name="plan">What the request declared.</param>
    /// <param name="hasFunctionCalls">Whether the message holds calls for the client to run.</param>
    /// <returns>The finish reason, or <see langword="null"/>.</returns>
    public static ChatFinishReason? ToFinishReason(string? stopReason, RequestPlan plan, bool hasFunctionCalls) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" => ChatFinishReason.Length,

        // A structured answer given through the forced tool is a final answer, not a call to run.
        "tool_use" => plan.ResponseToolName is not null && !hasFunctionCalls ? ChatFinishReason.Stop : ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason),
    };

    /// <summary>Maps usage in M.E.AI's meaning: input includes cache reads and writes.</summary>
    /// <param name="usage">The usage.</param>
    /// <returns>The details, or <see langword="null"/> when the API reported none.</returns>
    public static UsageDetails? ToUsage(AnthropicUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var details = new UsageDetails();
        if (usage.InputTokens is not null || usage.CacheReadInputTokens is not null || usage.CacheCreationInputTokens is not null)
        {
            details.InputTokenCount = (usage.InputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0) + (usage.CacheCreationInputTokens ?? 0);
        }

        details.OutputTokenCount = usage.OutputTokens;
        if (details.InputTokenCount is not null || details.OutputTokenCount is not null)
        {
            details.TotalTokenCount = (details.InputTokenCount ?? 0) + (details.OutputTokenCount ?? 0);
        }

        details.CachedInputTokenCount = usage.CacheReadInputTokens;
        details.ReasoningTokenCount = usage.OutputTokensDetails?.ThinkingTokens;

        var counts = new AdditionalPropertiesDictionary<long>();
        if (usage.CacheCreationInputTokens is { } cacheCreation)
        {
            counts[CacheCreationInputTokensKey] = cacheCreation;
        }

        AddIfPositive(counts, CacheCreation5mKey, usage.CacheCreation?.Ephemeral5mInputTokens);
        AddIfPositive(counts, CacheCreation1hKey, usage.CacheCreation?.Ephemeral1hInputTokens);
        AddIfPositive(counts, WebSearchRequestsKey, usage.ServerToolUse?.WebSearchRequests);
        AddIfPositive(counts, WebFetchRequestsKey, usage.ServerToolUse?.WebFetchRequests);
        details.AdditionalCounts = counts.Count > 0 ? counts : null;
        return details;
    }

    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of <c>usage.service_tier</c> (<c>standard</c>, <c>priority</c>, <c>batch</c>): it drives the price (docs/cost.md).</summary>
    public const string ServiceTierKey = "service_tier";

    /// <summary>Adds the tier the usage reports, if any.</summary>
    /// <param name="properties">The response's or final update's properties.</param>
    /// <param name="usage">The usage.</param>
    public static void AddServiceTier(AdditionalPropertiesDictionary properties, AnthropicUsage? usage)
    {
        if (!string.IsNullOrEmpty(usage?.ServiceTier))
        {
            properties[ServiceTierKey] = usage.ServiceTier;
        }
    }

    /// <summary>Overwrites, member by member, the usage seen so far with a later (cumulative) report.</summary>
    /// <param name="target">The usage seen so far, or <see langword="null"/>.</param>
    /// <param name="update">The later report.</param>
    /// <returns>The merged usage.</returns>
    public static AnthropicUsage? MergeUsage(AnthropicUsage? target, AnthropicUsage? update)
    {
        if (update is null)
        {
            return target;
        }

        target ??= new AnthropicUsage();
        target.InputTokens = update.InputTokens ?? target.InputTokens;
        target.OutputTokens = update.OutputTokens ?? target.OutputTokens;
        target.CacheCreationInputTokens = update.CacheCreationInputTokens ?? target.CacheCreationInputTokens;
        target.CacheReadInputTokens = update.CacheReadInputTokens ?? target.CacheReadInputTokens;
        target.CacheCreation = update.CacheCreation ?? target.CacheCreation;
        target.ServerToolUse = update.ServerToolUse ?? target.ServerToolUse;
        target.OutputTokensDetails = update.OutputTokensDetails ?? target.OutputTokensDetails;
        target.ServiceTier = update.ServiceTier ?? target.ServiceTier;
        return target;
    }

    /// <summary>Maps a citation.</summary>
    /// <param name="citation">The citation.</param>
    /// <returns>The annotation.</returns>
    public static CitationAnnotation ToAnnotation(AnthropicCitation citation)
    {
        var annotation = new CitationAnnotation
        {
            Title = citation.Title ?? citation.DocumentTitle,
            Snippet = citation.CitedText,
            Url = Uri.TryCreate(citation.Url, UriKind.Absolute, out var url) ? url : null,
            ToolName = citation.Type == "web_search_result_location" ? "web_search" : null,
        };
        if (citation.StartCharIndex is { } start && citation.EndCharIndex is { } end)
        {
            annotation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
        }

        return annotation;
    }

    /// <summary>Adds <c>stop_sequence</c> and <c>stop_details</c> to additional properties.</summary>
    /// <param name="properties">The properties.</param>
    /// <param name="stopSequence">The stop sequence hit, if any.</param>
    /// <param name="stopDetails">The stop details, if any.</param>
    public static void AddStopDetails(AdditionalPropertiesDictionary properties, string? stopSequence, JsonElement? stopDetails)
    {
        if (stopSequence is not null)
        {
            properties["stop_sequence"] = stopSequence;
        }

        if (stopDetails is { ValueKind: JsonValueKind.Object } details)
        {
            properties["stop_details"] = details.Clone();
        }
    }

    private static void AddIfPositive(AdditionalPropertiesDictionary<long> counts, string key, long? value)
    {
        if (value is > 0)
        {
            counts[key] = value.Value;
        }
    }
}
