// Licensed under the MIT License.

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using LlmAdapters.Redis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The HTTP surface: <c>GET /clients</c>, <c>POST /chat/{client}</c> (JSON) and <c>POST /chat/{client}/stream</c>
/// (server-sent events: <c>delta</c>… then <c>done</c>, or <c>error</c>). Every provider call runs on
/// <see cref="HttpContext.RequestAborted"/>: a client that goes away cancels it.
/// </summary>
internal static class ChatEndpoints
{
    private const string LoggerCategory = "LlmAdapters.Samples.ChatHost.ChatEndpoints";
    private const string BudgetExceededKind = "BudgetExceeded";
    private const string UnexpectedKind = "Unknown";

    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/clients", ListClients);
        routes.MapGet("/cost", GetCostAsync);
        routes.MapPost("/chat/{client}", ReplyAsync);
        routes.MapPost("/chat/{client}/stream", Stream);
        return routes;
    }

    // With AI:Redis set the ledger is the shared one: the total of every replica.
    private static async Task<Ok<LedgerInfo>> GetCostAsync(ICostLedger ledger, HttpContext context)
    {
        var total = ledger is RedisCostLedger shared ? await shared.GetTotalAsync(cancellationToken: context.RequestAborted) : ledger.GetTotal();
        return TypedResults.Ok(new LedgerInfo(total.Total, ChatCost.FormatUsd(total.Total), total.Calls, ledger is RedisCostLedger));
    }

    private static Ok<ClientInfo[]> ListClients(ConfiguredChatClients clients) =>
        TypedResults.Ok(clients.Names
            .Select(clients.GetSettings)
            .Select(s => new ClientInfo(s.Name, s.Provider, s.Model, s.MaxOutputTokens, s.Temperature, string.Equals(s.Provider, EmulatorChatProvider.ProviderName, StringComparison.OrdinalIgnoreCase)))
            .ToArray());

    private static async Task<Results<Ok<ChatReply>, ProblemHttpResult>> ReplyAsync(
        string client, ChatRequest request, ConfiguredChatClients clients, ChatHostLimits limits, ILoggerFactory loggers, HttpContext context)
    {
        if (Check(client, request, clients, limits, out var messages) is { } problem)
        {
            return problem;
        }

        var settings = clients.GetSettings(client);
        var logger = loggers.CreateLogger(LoggerCategory);
        try
        {
            var response = await clients.GetClient(client).GetResponseAsync(messages, DemoTools.Options, context.RequestAborted);
            return TypedResults.Ok(new ChatReply(
                response.Text, response.ModelId, ChatUsageInfo.From(response.Usage), ChatCostInfo.From(response.GetCost()), response.FinishReason?.Value));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Every failure is a ProblemDetails with a kind: a provider's with its redacted message, anything else as a 500
            // that says nothing of the exception (logged once here, with the details, for the operator).
            var expected = ex is ChatProviderException or BudgetExceededException or ToolLoopException;
            var error = expected ? ToError(ex, settings, logger) : Unexpected(ex, settings, logger);
            var status = error.Kind switch
            {
                _ when !expected => StatusCodes.Status500InternalServerError,
                nameof(ChatProviderErrorKind.RateLimited) or BudgetExceededKind => StatusCodes.Status429TooManyRequests,
                nameof(ChatProviderErrorKind.Timeout) => StatusCodes.Status504GatewayTimeout,
                _ => StatusCodes.Status502BadGateway,
            };
            return TypedResults.Problem(
                error.Message,
                statusCode: status,
                title: $"The chat call failed: {error.Kind}",
                extensions: new Dictionary<string, object?> { ["kind"] = error.Kind, ["providerStatus"] = error.Status, ["retryAfterSeconds"] = error.RetryAfterSeconds });
        }
    }

    private static Results<ServerSentEventsResult<string>, ProblemHttpResult> Stream(
        string client, ChatRequest request, ConfiguredChatClients clients, ChatHostLimits limits, ILoggerFactory loggers, HttpContext context)
    {
        if (Check(client, request, clients, limits, out var messages) is { } problem)
        {
            return problem;
        }

        var settings = clients.GetSettings(client);
        var logger = loggers.CreateLogger(LoggerCategory);
        IChatClient chat;
        try
        {
            chat = clients.GetClient(client);
        }
        catch (Exception ex)
        {
            var error = Unexpected(ex, settings, logger);
            return TypedResults.Problem(
                error.Message, statusCode: StatusCodes.Status500InternalServerError, title: $"The chat call failed: {error.Kind}",
                extensions: new Dictionary<string, object?> { ["kind"] = error.Kind });
        }

        return TypedResults.ServerSentEvents(StreamEventsAsync(chat, settings, messages, logger, context.RequestAborted));
    }

    /// <summary>
    /// The events of one streamed reply: a <c>delta</c> per piece of text, then <c>done</c> with model, usage, cost and
    /// finish reason; or, when the provider fails, an <c>error</c> with the taxonomy kind and the redacted message.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamEventsAsync(
        IChatClient chat, ChatClientSettings settings, List<ChatMessage> messages, ILogger logger, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await using var enumerator = chat.GetStreamingResponseAsync(messages, DemoTools.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            ChatErrorEvent? error = null;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Log.StreamCancelled(logger, settings.Name, updates.Count);
                throw;
            }
            catch (Exception ex) when (ex is ChatProviderException or BudgetExceededException or ToolLoopException)
            {
                more = false;
                error = ToError(ex, settings, logger);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not a provider failure (a bug, a middleware of your own): say so without its text, log the details.
                more = false;
                error = Unexpected(ex, settings, logger);
            }

            if (error is not null)
            {
                // The headers (200, text/event-stream) may already be out: the failure travels as an event.
                yield return new SseItem<string>(JsonSerializer.Serialize(error, ChatHostJsonContext.Default.ChatErrorEvent), "error");
                yield break;
            }

            if (!more)
            {
                break;
            }

            var update = enumerator.Current;
            updates.Add(update);
            foreach (var item in Events(update))
            {
                yield return item;
            }
        }

        var response = updates.ToChatResponse();
        var done = new ChatDoneEvent(response.ModelId, ChatUsageInfo.From(response.Usage), ChatCostInfo.From(updates.GetCost()), response.FinishReason?.Value);
        yield return new SseItem<string>(JsonSerializer.Serialize(done, ChatHostJsonContext.Default.ChatDoneEvent), "done");
    }

    /// <summary>
    /// The events of one update: <c>tool</c> when the model asks for a tool and <c>tool_result</c> when it has run (as
    /// function invocation yields them), <c>delta</c> for text.
    /// </summary>
    private static IEnumerable<SseItem<string>> Events(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    yield return new SseItem<string>(
                        JsonSerializer.Serialize(new ChatToolCallEvent(call.CallId, call.Name, call.Arguments is null ? null : JsonSerializer.SerializeToElement(call.Arguments, AIJsonUtilities.DefaultOptions)), ChatHostJsonContext.Default.ChatToolCallEvent), "tool");
                    break;
                case FunctionResultContent result:
                    yield return new SseItem<string>(
                        JsonSerializer.Serialize(new ChatToolResultEvent(result.CallId, result.Result?.ToString()), ChatHostJsonContext.Default.ChatToolResultEvent), "tool_result");
                    break;
                case TextContent { Text.Length: > 0 } text:
                    yield return new SseItem<string>(JsonSerializer.Serialize(new ChatDeltaEvent(text.Text), ChatHostJsonContext.Default.ChatDeltaEvent), "delta");
                    break;
            }
        }
    }

    /// <summary>Checks the client name and the body; gives the 404 or 400 problem, or the conversation to send.</summary>
    private static ProblemHttpResult? Check(string client, ChatRequest request, ConfiguredChatClients clients, ChatHostLimits limits, out List<ChatMessage> messages)
    {
        messages = [];
        if (!clients.Names.Contains(client, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                $"No chat client named '{client}' is configured. Configured clients: {string.Join(", ", clients.Names)}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown chat client",
                extensions: new Dictionary<string, object?> { ["clients"] = clients.Names.ToArray() });
        }

        var problems = new List<string>();
        var list = request.Messages ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            ChatRole? role = list[i].Role?.Trim().ToUpperInvariant() switch
            {
                "USER" => ChatRole.User,
                "ASSISTANT" => ChatRole.Assistant,
                "SYSTEM" => ChatRole.System,
                _ => null,
            };
            if (role is null)
            {
                problems.Add($"messages[{i}].role is '{list[i].Role}': use user, assistant or system.");
            }
            else if (string.IsNullOrEmpty(list[i].Content))
            {
                problems.Add($"messages[{i}].content is empty.");
            }
            else
            {
                messages.Add(new ChatMessage(role.Value, list[i].Content));
            }
        }

        if (!string.IsNullOrWhiteSpace(request.Prompt))
        {
            messages.Add(new ChatMessage(ChatRole.User, request.Prompt));
        }

        var size = messages.Sum(m => (long)m.Text.Length);
        if (size > limits.MaxPromptCharacters)
        {
            messages = [];
            return TypedResults.Problem(
                $"The prompt has {size} characters; this server accepts at most {limits.MaxPromptCharacters} ({ChatHostLimits.MaxPromptCharactersKey}).",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Prompt too large",
                extensions: new Dictionary<string, object?> { ["kind"] = "PromptTooLarge", ["maxPromptCharacters"] = limits.MaxPromptCharacters });
        }

        if (problems.Count == 0 && !messages.Any(m => m.Role == ChatRole.User))
        {
            problems.Add("Give a prompt ({\"prompt\":\"...\"}) or messages with at least one user message ({\"messages\":[{\"role\":\"user\",\"content\":\"...\"}]}).");
        }

        return problems.Count == 0 ? null : TypedResults.Problem(
            string.Join(" ", problems), statusCode: StatusCodes.Status400BadRequest, title: "Invalid chat request");
    }

    /// <summary>The error of a failure that is not a provider's: logged once with its details, answered without its text.</summary>
    private static ChatErrorEvent Unexpected(Exception exception, ChatClientSettings settings, ILogger logger)
    {
        if (ChatFailureLogging.WasLogged(exception))
        {
            Log.ReplyFailedUnexpectedlyLogged(logger, settings.Name);
        }
        else
        {
            Log.ReplyFailedUnexpectedly(logger, settings.Name, ChatFailureLogging.Redacted(exception, settings.ApiKeys.Append(settings.ApiKey)));
        }

        return new ChatErrorEvent(UnexpectedKind, "The reply failed: the server log has the details.", null, null);
    }

    /// <summary>The error event of a failure: its kind and its message with every credential masked (the configured keys too), and a log line.</summary>
    private static ChatErrorEvent ToError(Exception exception, ChatClientSettings settings, ILogger logger)
    {
        var message = exception.Message;
        foreach (var key in settings.ApiKeys.Append(settings.ApiKey))
        {
            message = SecretRedactor.Redact(message, key)!;
        }

        message = SecretRedactor.Redact(message)!;
        var error = exception switch
        {
            ChatProviderException provider => new ChatErrorEvent(
                provider.Kind.ToString(), message, provider.StatusCode is { } status ? (int)status : null, provider.RetryAfter?.TotalSeconds),
            // A tool loop that ended on repeated failures: the model's or a tool's, never the server's (a 502, not a 500).
            ToolLoopException loop => new ChatErrorEvent(loop.Kind.ToString(), message, null, null),
            _ => new ChatErrorEvent(BudgetExceededKind, message, null, null),
        };
        Log.ReplyFailed(logger, settings.Name, error.Kind, error.Message);
        return error;
    }
}
