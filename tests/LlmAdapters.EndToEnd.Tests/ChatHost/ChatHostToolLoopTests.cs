// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlmAdapters.Emulator;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>
/// Issue 21, item 1: a model that keeps calling the host's tool with bad arguments, or whose calls make the tool's own
/// binder throw (the <see cref="ArgumentException"/> that used to leave the pipeline raw as a 500), is answered with a
/// problem (502, the tool-loop kind) or an SSE <c>error</c> event, after at most 3 requests to the provider.
/// </summary>
public sealed class ChatHostToolLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Loops => new()
    {
        { "{\"city\": \"Par", "InvalidArguments" },
        { "{\"town\": \"Paris\"}", "ToolFailed" },
    };

    [Theory]
    [MemberData(nameof(Loops))]
    public async Task Reply_ModelLoopsOnBadToolArguments_ProblemWithTheKind_Never500(string arguments, string kind)
    {
        await using var host = await RunningChatHost.StartAsync(cancellationToken: Ct);
        host.Emulator!.Replies.Enqueue(new EmulatorReply { ToolCalls = { new EmulatorToolCall("get_weather", arguments) }, Times = 50 });

        var response = await host.Http.PostAsJsonAsync("/chat/default", new { prompt = "weather?" }, Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(kind, problem.GetProperty("kind").GetString());
        Assert.Contains("get_weather", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.Equal(3, host.Emulator.RequestCount);
    }

    [Theory]
    [MemberData(nameof(Loops))]
    public async Task Stream_ModelLoopsOnBadToolArguments_ErrorEventWithTheKind(string arguments, string kind)
    {
        await using var host = await RunningChatHost.StartAsync(cancellationToken: Ct);
        host.Emulator!.Replies.Enqueue(new EmulatorReply { ToolCalls = { new EmulatorToolCall("get_weather", arguments) }, Times = 50 });

        var (response, events) = await host.StreamAsync("default", new { prompt = "weather?" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = Assert.Single(events, e => e.EventType == "error");
        Assert.Equal(kind, RunningChatHost.Json(error.Data).GetProperty("kind").GetString());
        Assert.DoesNotContain(events, e => e.EventType == "done");
        Assert.Equal(3, host.Emulator.RequestCount);
    }
}
