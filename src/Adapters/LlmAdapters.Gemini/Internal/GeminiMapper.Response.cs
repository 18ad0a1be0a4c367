// Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Text.Json;
using LlmAdapters.Gemini.Internal.Dto;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Internal;

/// <summary>Response mapping.</summary>
internal static partial class GeminiMapper
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of <c>toolUsePromptTokenCount</c>.</summary>
    public const string ToolUsePromptTokensKey = "toolUsePromptTokenCount";

    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of the candidate's <c>finishMessage</c>.</summary>
    public const string FinishMessageKey = "finishMessage";

    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of the candidate's <c>groundingMetadata</c>.</summary>
    public const string GroundingMetadataKey = "groundingMetadata";

    /// <summary>Maps a whole response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="createdAt">When it arrived (the API does not say when it was created).</param>
    /// <returns>The chat response.</returns>
    /// <exception cref="ChatProviderException">The prompt was blocked (<see cref="ChatProviderErrorKind.ContentFiltered"/>).</exception>
    public static ChatResponse ToChatResponse(GenerateContentResponse response, DateTimeOffset createdAt)
    {
        ThrowIfBlocked(response);
        var candidate = response.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
        var contents = new List<AIContent>();
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            AddContents(contents, part);
        }

        var message = new ChatMessage(ChatRole.Assistant, contents)
        {
            MessageId = response.ResponseId,
            CreatedAt = createdAt,
            RawRepresentation = response,
        };

        var chatResponse = new ChatResponse(message)
        {
            ResponseId = response.ResponseId,
            ModelId = response.ModelVersion,
            CreatedAt = createdAt,
            FinishReason = ToFinishReason(candidate?.FinishReason, contents.Exists(static c => c is FunctionCallContent)),
            Usage = ToUsage(response.UsageMetadata),
            RawRepresentation = response,
            AdditionalProperties = ToAdditionalProperties(candidate),
        };
        return chatResponse;
    }

    /// <summary>Adds the contents of one complete part.</summary>
    /// <param name="contents">The target.</param>
    /// <param name="part">The part.</param>
    public static void AddContents(List<AIContent> contents, GeminiPart part)
    {
        if (part.Text is { } text)
        {
            if (part.Thought == true)
            {
                contents.Add(new TextReasoningContent(text) { ProtectedData = part.ThoughtSignature, RawRepresentation = part });
                return;
            }

            if (text.Length > 0)
            {
                contents.Add(new TextContent(text) { RawRepresentation = part });
            }

            if (part.ThoughtSignature is { } signature)
            {
                // The signature of a text part (Gemini 3): an empty reasoning content right after it, which goes back on the same part.
                contents.Add(new TextReasoningContent(string.Empty) { ProtectedData = signature });
            }

            return;
        }

        if (part.FunctionCall is { } call)
        {
            contents.Add(NativeJson.WithArgumentsCheck(ToFunctionCall(call.Id, call.Name, NativeJson.ParseArguments(call.Args), part.ThoughtSignature, part), call.Args));
            return;
        }

        if (part.InlineData is { Data: { } data } blob)
        {
            contents.Add(new DataContent(Convert.FromBase64String(data), blob.MimeType ?? "application/octet-stream") { RawRepresentation = part });
            return;
        }

        if (part.FileData is { FileUri: { } fileUri } file && Uri.TryCreate(fileUri, UriKind.Absolute, out var uri))
        {
            contents.Add(new UriContent(uri, file.MimeType ?? "application/octet-stream") { RawRepresentation = part });
            return;
        }

        // Executable code, its results, and parts added after this adapter was written: kept raw, to go back as they came.
        contents.Add(new AIContent { RawRepresentation = part });
    }

    /// <summary>Creates a function call, with an id made up when the API sent none, and the thought signature kept for the next turn.</summary>
    /// <param name="id">The API's call id, if any.</param>
    /// <param name="name">The function name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="signature">The part's thought signature, if any.</param>
    /// <param name="raw">The raw part.</param>
    /// <returns>The call.</returns>
    public static FunctionCallContent ToFunctionCall(string? id, string? name, IDictionary<string, object?> arguments, string? signature, object? raw)
    {
        var call = new FunctionCallContent(
            string.IsNullOrEmpty(id) ? GeminiConstants.GeneratedCallIdPrefix + Guid.NewGuid().ToString("N") : id,
            name ?? string.Empty,
            arguments)
        {
            RawRepresentation = raw,
        };

        if (signature is not null)
        {
            call.AdditionalProperties = new() { [GeminiChatClient.ThoughtSignaturePropertyName] = signature };
        }

        return call;
    }

    /// <summary>Maps a finish reason.</summary>
    /// <param name="finishReason">The API's finish reason.</param>
    /// <param name="hasFunctionCalls">Whether the answer holds calls to run (Gemini says STOP there).</param>
    /// <returns>The finish reason, or <see langword="null"/>.</returns>
    public static ChatFinishReason? ToFinishReason(string? finishReason, bool hasFunctionCalls) => finishReason switch
    {
        null => hasFunctionCalls ? ChatFinishReason.ToolCalls : null,
        _ when hasFunctionCalls && finishReason is "STOP" => ChatFinishReason.ToolCalls,
        "STOP" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(finishReason),
    };

    /// <summary>Maps usage: output counts the thoughts too, as they are billed as output.</summary>
    /// <param name="usage">The usage.</param>
    /// <returns>The details, or <see langword="null"/>.</returns>
    public static UsageDetails? ToUsage(UsageMetadata? usage)
    {
        if (usage is null || (usage.PromptTokenCount is null && usage.CandidatesTokenCount is null && usage.TotalTokenCount is null && usage.ThoughtsTokenCount is null))
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = usage.PromptTokenCount,
            OutputTokenCount = usage.CandidatesTokenCount is null && usage.ThoughtsTokenCount is null ? null : (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0),
            TotalTokenCount = usage.TotalTokenCount,
            CachedInputTokenCount = usage.CachedContentTokenCount,
            ReasoningTokenCount = usage.ThoughtsTokenCount,
        };

        if (usage.ToolUsePromptTokenCount is { } toolUse)
        {
            details.AdditionalCounts = new() { [ToolUsePromptTokensKey] = toolUse };
        }

        return details;
    }

    /// <summary>Throws when the prompt was blocked: a blocked prompt is an error, never an empty answer.</summary>
    /// <param name="response">The response or chunk.</param>
    /// <exception cref="ChatProviderException">The prompt was blocked.</exception>
    public static void ThrowIfBlocked(GenerateContentResponse response)
    {
        if (response.PromptFeedback?.BlockReason is { } reason && response.Candidates is not { Count: > 0 })
        {
            throw new ChatProviderException(
                ChatProviderErrorKind.ContentFiltered,
                GeminiConstants.ProviderName,
                response.PromptFeedback.BlockReasonMessage ?? string.Create(CultureInfo.InvariantCulture, $"The prompt was blocked ({reason})."),
                HttpStatusCode.OK)
            {
                ErrorType = reason,
            };
        }
    }

    /// <summary>Adds the service tier the request was sent with to a response that carries usage.</summary>
    /// <param name="response">The response.</param>
    /// <param name="serviceTier">The tier sent, or <see langword="null"/>.</param>
    /// <returns>The response.</returns>
    public static ChatResponse WithServiceTier(ChatResponse response, string? serviceTier)
    {
        if (!string.IsNullOrEmpty(serviceTier) && response.Usage is not null)
        {
            (response.AdditionalProperties ??= [])[GeminiChatClient.ServiceTierPropertyName] = serviceTier;
        }

        return response;
    }

    /// <summary>Keeps the candidate's finish message and grounding metadata.</summary>
    /// <param name="candidate">The candidate.</param>
    /// <returns>The properties, or <see langword="null"/>.</returns>
    public static AdditionalPropertiesDictionary? ToAdditionalProperties(GeminiCandidate? candidate)
    {
        if (candidate is null || (candidate.FinishMessage is null && candidate.GroundingMetadata is not { ValueKind: JsonValueKind.Object }))
        {
            return null;
        }

        var properties = new AdditionalPropertiesDictionary();
        if (candidate.FinishMessage is { } finishMessage)
        {
            properties[FinishMessageKey] = finishMessage;
        }

        if (candidate.GroundingMetadata is { ValueKind: JsonValueKind.Object } grounding)
        {
            properties[GroundingMetadataKey] = grounding.Clone();
        }

        return properties;
    }
}
