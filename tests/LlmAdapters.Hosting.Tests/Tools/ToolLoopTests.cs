// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Tools;

/// <summary>
/// Tool loops that cannot run away (issue 21, item 1), through the configured pipeline on the emulator over real HTTP,
/// streaming and not: a model that keeps sending bad arguments or calling tools nobody offered, or a tool that keeps
/// throwing, ends the run with one <see cref="ToolLoopException"/> after at most 3 requests with the defaults; the tool
/// is never run with arguments that did not parse; the iteration limit is 8 and a call may lower it.
/// </summary>
public sealed class ToolLoopTests
{
    private const string Key = "sk-test-emulator-0000000000000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static ServiceProvider Build(EmulatorServer emulator, Dictionary<string, string?>? values = null, Action<IServiceCollection>? configure = null, Action<IServiceCollection>? afterwards = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = Key,
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        };
        foreach (var (k, v) in values ?? [])
        {
            all[k] = v;
        }

        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(all).Build().GetSection("AI"));
        afterwards?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Sends one call, streamed or not, and gives the response (a stream's updates joined).</summary>
    internal static async Task<(ChatResponse Response, ChatRunTotals? Totals)> SendAsync(IChatClient client, bool stream, string prompt, ChatOptions? options)
    {
        if (!stream)
        {
            var response = await client.GetResponseAsync(prompt, options, Ct);
            return (response, response.GetRunTotals());
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(prompt, options, Ct))
        {
            updates.Add(update);
        }

        return (updates.ToChatResponse(), updates.GetRunTotals());
    }

    internal static EmulatorReply Calls(string tool, string arguments, int times = 1, int? input = null, int? output = null) =>
        new() { ToolCalls = { new EmulatorToolCall(tool, arguments) }, Times = times, InputTokens = input, OutputTokens = output };

    private static (ChatOptions Options, Func<int> Runs) Weather(Func<string, string>? body = null)
    {
        var runs = 0;
        var tool = AIFunctionFactory.Create(
            (string city) =>
            {
                Interlocked.Increment(ref runs);
                return body?.Invoke(city) ?? $"sunny in {city}";
            },
            "get_weather");
        return (new ChatOptions { Tools = [tool] }, () => Volatile.Read(ref runs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BadArguments_ModelKeepsSendingThem_ThreeRequestsOneToolLoopException_ToolNeverRun(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\": \"Par", times: 50));
        var (options, runs) = Weather();

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options));

        Assert.Equal(ToolLoopErrorKind.InvalidArguments, ex.Kind);
        Assert.Equal("get_weather", ex.ToolName);
        Assert.Equal(3, ex.Iterations);
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(0, runs());
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);

        // The model was told what was wrong, in the tool result of the next request.
        Assert.Contains("are not valid JSON, so it was not run", emulator.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutCostsRunAccounting_TheLoopKeepsItsLimits_AndAttachesNoTotals(bool stream)
    {
        // Hosting alone (no LlmAdapters.Cost): the tool loop has no run budget and no run cost, and still cannot run away.
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, afterwards: WithoutCostsRunAccounting);
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\": \"Par", times: 50));
        var (options, runs) = Weather();

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options));

        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(0, runs());
        Assert.Null(ex.GetRunTotals());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutCostsRunAccounting_ASuccessfulRun_HasNoTotals(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, afterwards: WithoutCostsRunAccounting);
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}"));
        var (options, runs) = Weather();

        var (response, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options);

        Assert.Equal(1, runs());
        Assert.Equal(2, emulator.RequestCount);
        Assert.Null(totals);
        Assert.False(string.IsNullOrEmpty(response.Text));
    }

    /// <summary>Takes Cost's run accounting out, as an application that does not reference LlmAdapters.Cost has none.</summary>
    private static void WithoutCostsRunAccounting(IServiceCollection services)
    {
        var registered = Assert.Single(services, d => d.ServiceType == typeof(IToolRunAccountingFactory));
        services.Remove(registered);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownTool_NoToolsOffered_ThreeRequestsNotFortyOne(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("delete_everything", "{}", times: 50));

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", null));

        Assert.Equal(ToolLoopErrorKind.UnknownTool, ex.Kind);
        Assert.Equal("delete_everything", ex.ToolName);
        Assert.Equal(3, ex.Iterations);
        Assert.Equal(3, emulator.RequestCount);
        Assert.Contains("there is no tool named", emulator.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownTool_OtherToolsOffered_EndsTheRunAndRunsNothing(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("get_wether", "{\"city\":\"Paris\"}", times: 50));
        var (options, runs) = Weather();

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options));

        Assert.Equal(ToolLoopErrorKind.UnknownTool, ex.Kind);
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(0, runs());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolThrows_EveryTime_OneToolLoopExceptionWithTheToolsExceptionInside_NeverRaw(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", times: 50));
        var (options, runs) = Weather(_ => throw new ArgumentException("city 'Paris' is secret-ish"));

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options));

        Assert.Equal(ToolLoopErrorKind.ToolFailed, ex.Kind);
        Assert.IsType<ArgumentException>(ex.InnerException);
        Assert.DoesNotContain("secret-ish", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(3, runs());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BadArgumentsOnce_ModelCorrectsItself_TheRunSucceedsWithItsTotals(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("get_weather", "{oops", input: 100, output: 10));
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", input: 120, output: 12));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Sunny in Paris.", InputTokens = 150, OutputTokens = 5 });
        var (options, runs) = Weather();

        var (response, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options);

        Assert.Contains("Sunny in Paris.", response.Text, StringComparison.Ordinal);
        Assert.Equal(1, runs());
        Assert.Equal(3, emulator.RequestCount);
        Assert.NotNull(totals);
        Assert.Equal(3, totals.ModelCalls);
        Assert.Equal(370, totals.Usage?.InputTokenCount);
        Assert.Equal(27, totals.Usage?.OutputTokenCount);
        var price = PriceCatalog.Default.GetPrice("gpt-4o-mini")!;
        var expected = price.Calculate(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }).Total
            + price.Calculate(new UsageDetails { InputTokenCount = 120, OutputTokenCount = 12 }).Total
            + price.Calculate(new UsageDetails { InputTokenCount = 150, OutputTokenCount = 5 }).Total;
        Assert.Equal(expected, totals.Cost?.Total);
        Assert.Equal(0, totals.UnpricedCalls);
        Assert.False(totals.WrappedUp);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelKeepsCallingAWorkingTool_DefaultLimit_EightRoundsThenOneCallWithoutTools(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", times: 50));
        var (options, runs) = Weather();

        var (_, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options);

        Assert.Equal(9, emulator.RequestCount);
        Assert.Equal(8, runs());
        Assert.Equal(9, totals?.ModelCalls);
        Assert.Contains("get_weather", emulator.Requests[7].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tools\"", emulator.Requests[8].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PerCall_LowerLimits_HoldForThatCallAlone(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        var client = services.GetRequiredService<IChatClient>();
        var (options, runs) = Weather();

        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", times: 3));
        await SendAsync(client, stream, "hi", options.Clone().WithMaxToolIterations(2));
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(2, runs());

        emulator.Replies.Enqueue(Calls("get_weather", "{bad", times: 50));
        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(client, stream, "hi", options.Clone().WithMaxConsecutiveToolErrors(0)));
        Assert.Equal(ToolLoopErrorKind.InvalidArguments, ex.Kind);
        Assert.Equal(1, ex.Iterations);
        Assert.Equal(4, emulator.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PerCall_AboveTheConfiguredLimit_RefusedBeforeAnyRequest(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:FunctionInvocation:MaximumIterationsPerRequest"] = "4" });
        var (options, _) = Weather();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options.WithMaxToolIterations(5)));

        Assert.Contains(ChatOptionsToolLoopExtensions.MaxIterationsKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaximumIterationsPerRequest of 4", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Configured_MaximumConsecutiveErrors_Zero_FirstFailureEndsTheRun(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:FunctionInvocation:MaximumConsecutiveErrors"] = "0" });
        emulator.Replies.Enqueue(Calls("nope", "{}", times: 50));

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", null));

        Assert.Equal(ToolLoopErrorKind.UnknownTool, ex.Kind);
        Assert.Equal(1, emulator.RequestCount);
    }

    [Fact]
    public void Configuration_OutOfRange_NamesTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = Key,
            ["AI:Pipeline:FunctionInvocation:MaximumIterationsPerRequest"] = "0",
            ["AI:Pipeline:FunctionInvocation:MaximumConsecutiveErrors"] = "11",
        }).Build();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        using var provider = services.BuildServiceProvider();

        var problems = string.Join("\n", provider.GetRequiredService<ConfiguredChatClients>().Validate());

        Assert.Contains("AI:Pipeline:FunctionInvocation:MaximumIterationsPerRequest", problems, StringComparison.Ordinal);
        Assert.Contains("AI:Pipeline:FunctionInvocation:MaximumConsecutiveErrors", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_IsAFunctionInvokingChatClient_ForAgentFrameworksToFind()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);

        var found = services.GetRequiredService<IChatClient>().GetService<FunctionInvokingChatClient>();

        Assert.NotNull(found);
        Assert.Equal(8, found.MaximumIterationsPerRequest);
        Assert.Equal(2, found.MaximumConsecutiveErrorsPerRequest);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OrchestrateToolsSpan_CarriesTheRunsModelCallsAndCost(bool stream)
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "llmadapters.tools.test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:OpenTelemetry:SourceName"] = "llmadapters.tools.test" });
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", input: 100, output: 10));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Sunny.", InputTokens = 150, OutputTokens = 5 });
        var (options, _) = Weather();

        var (_, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options);

        Activity orchestrate;
        lock (spans)
        {
            orchestrate = Assert.Single(spans, a => a.OperationName == "orchestrate_tools");
        }

        Assert.Equal(2, orchestrate.GetTagItem(HostingTelemetryNames.RunModelCallsAttribute));
        Assert.Equal((double)totals!.Cost!.Total, orchestrate.GetTagItem(CostTelemetryNames.CostAmountAttribute));
        Assert.Equal("USD", orchestrate.GetTagItem(CostTelemetryNames.CostCurrencyAttribute));
    }
}
