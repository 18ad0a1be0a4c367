// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>
/// Issue #13 item 10: a failure that is not the taxonomy's (a bug in a provider of the user's own, here one that throws
/// an <see cref="InvalidOperationException"/> whose text holds a key and internal details) is answered by both endpoints
/// as a 500 ProblemDetails (or an error event) that carries no exception text, and is logged once with the exception.
/// </summary>
public sealed class ChatHostUnexpectedFailureTests
{
    private const string Secret = "sk-proj-Unexpected0123456789abcdefXYZ";
    private const string Internals = "table 'ledger' is locked at Frobnicator.Step3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reply_UnexpectedException_Is500ProblemWithoutExceptionText_LoggedOnce()
    {
        await using var host = await StartWithBrokenProviderAsync();

        var response = await host.Http.PostAsJsonAsync("/chat/broken", new { prompt = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Unknown", problem.GetProperty("kind").GetString());
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        AssertNothingOfTheException(body);
        AssertLoggedOnceWithTheException(host);
    }

    [Fact]
    public async Task Stream_UnexpectedException_IsAnErrorEventWithoutExceptionText_LoggedOnce()
    {
        await using var host = await StartWithBrokenProviderAsync();

        var (response, events) = await host.StreamAsync("broken", new { prompt = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = Assert.Single(events, e => e.EventType == "error");
        Assert.Equal("Unknown", RunningChatHost.Json(error.Data).GetProperty("kind").GetString());
        Assert.DoesNotContain(events, e => e.EventType == "done");
        AssertNothingOfTheException(error.Data);
        AssertLoggedOnceWithTheException(host);
    }

    private static Task<RunningChatHost> StartWithBrokenProviderAsync() =>
        RunningChatHost.StartAsync(
            new Dictionary<string, string?> { ["AI:Clients:broken:Provider"] = "broken", ["AI:Clients:broken:Model"] = "broken-model" },
            builder => builder.Services.AddChatProvider("broken", _ => new ThrowingChatClient(), defaultEndpoint: new Uri("http://broken.invalid/")),
            Ct);

    private static void AssertNothingOfTheException(string text)
    {
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Internals, text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ThrowingChatClient), text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    private static void AssertLoggedOnceWithTheException(RunningChatHost host)
    {
        var records = host.Logs.GetSnapshot();

        // One Error line, with the exception's type, message and stack trace for the operator...
        var logged = Assert.Single(records, r => r.Level >= LogLevel.Error);
        Assert.NotNull(logged.Exception);
        var text = logged.Message + Environment.NewLine + logged.Exception.ToString();
        Assert.Contains(nameof(InvalidOperationException), text, StringComparison.Ordinal);
        Assert.Contains(Internals, text, StringComparison.Ordinal);
        Assert.Contains(nameof(ThrowingChatClient), text, StringComparison.Ordinal);

        // ...and no key in any line or exception text.
        Assert.All(records, r => Assert.DoesNotContain(Secret, r.Message + r.Exception, StringComparison.Ordinal));
    }

    private sealed class ThrowingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException($"{Internals} (key {Secret})");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException($"{Internals} (key {Secret})");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
