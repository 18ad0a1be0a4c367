// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Redis;
using LlmAdapters.TestUtilities.Redis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Hosting.Tests.Tools.ToolLoopTests;

namespace LlmAdapters.Hosting.Tests.Tools;

/// <summary>
/// Budgets for a whole run (issue 21, item 2): <c>AI:Pipeline:Budget:Run</c> and the per-call override limit one call's
/// whole tool loop by model calls, tokens, cost and wall time, checked before each model call; the run ends with
/// <see cref="BudgetExceededException"/> naming the run limit, or with <c>WrapUp</c> makes one last call without tools.
/// On the emulator over HTTP, streaming and not; with the ledger on a real redis-server.
/// </summary>
public sealed class RunBudgetTests
{
    private const string Run = "AI:Pipeline:Budget:Run";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChatOptions WeatherTool(Action? onRun = null) => new()
    {
        Tools = [AIFunctionFactory.Create((string city) => { onRun?.Invoke(); return $"sunny in {city}"; }, "get_weather")],
    };

    private static EmulatorReply Forever() => Calls("get_weather", "{\"city\":\"Paris\"}", times: 50, input: 100, output: 10);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelCalls_Reached_BudgetExceededNamingTheRunLimit_NoFurtherRequest(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { [Run + ":ModelCalls"] = "3" });
        emulator.Replies.Enqueue(Forever());

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", WeatherTool()));

        Assert.Equal(Run + ":ModelCalls", ex.LimitName);
        Assert.Contains("run limit 'AI:Pipeline:Budget:Run:ModelCalls'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, emulator.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelCalls_WithWrapUp_LastAllowedCallHasNoToolsAndTheInstruction_RunSucceeds(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new()
        {
            [Run + ":ModelCalls"] = "3",
            [Run + ":WrapUp"] = "true",
            [Run + ":WrapUpInstruction"] = "Stop now and answer.",
        });
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", times: 2, input: 100, output: 10));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Here is what I have.", InputTokens = 130, OutputTokens = 6 });

        var (response, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", WeatherTool());

        Assert.Contains("Here is what I have.", response.Text, StringComparison.Ordinal);
        Assert.Equal(3, emulator.RequestCount);
        var last = emulator.Requests[2].Body;
        Assert.DoesNotContain("\"tools\"", last, StringComparison.Ordinal);
        Assert.Contains("Stop now and answer.", last, StringComparison.Ordinal);
        Assert.NotNull(totals);
        Assert.True(totals.WrappedUp);
        Assert.Equal(3, totals.ModelCalls);
        Assert.Equal(330, totals.Usage?.InputTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tokens_NextCallWouldExceed_StopsBeforeSendingIt(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { [Run + ":Tokens"] = "600" });
        emulator.Replies.Enqueue(Forever());
        var options = WeatherTool();
        options.MaxOutputTokens = 50;

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options));

        Assert.Equal(Run + ":Tokens", ex.LimitName);
        Assert.InRange(emulator.RequestCount, 1, 5);
        Assert.True(emulator.RequestCount * 110 <= 600, $"{emulator.RequestCount} requests of 110 tokens each exceed 600");
        Assert.True(ex.Spent + ex.Requested > ex.Limit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cost_NextCallWouldExceed_StopsBeforeSendingIt_SpentStaysWithinTheLimit(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { [Run + ":Cost"] = "0.0001" });
        emulator.Replies.Enqueue(Forever());
        var options = WeatherTool();
        options.MaxOutputTokens = 50;
        var perCall = PriceCatalog.Default.GetPrice("gpt-4o-mini")!.Calculate(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }).Total;

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options));

        Assert.Equal(Run + ":Cost", ex.LimitName);
        Assert.Equal(0.0001m, ex.Limit);
        Assert.Equal(perCall * emulator.RequestCount, ex.Spent);
        Assert.True(ex.Spent <= 0.0001m);
        Assert.InRange(emulator.RequestCount, 2, 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Duration_ByTheTimeProvider_NoModelCallStartsAfterIt(bool stream)
    {
        var time = new FakeTimeProvider();
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { [Run + ":Duration"] = "25s" }, s => s.AddSingleton<TimeProvider>(time));
        emulator.Replies.Enqueue(Forever());

        // Each tool run takes ten seconds: calls start at 0, 10 and 20 s; at 30 s the run is over.
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() =>
            SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", WeatherTool(() => time.Advance(TimeSpan.FromSeconds(10)))));

        Assert.Equal(Run + ":Duration", ex.LimitName);
        Assert.Equal(3, emulator.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PerCall_RunBudget_ReplacesTheConfiguredOne(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { [Run + ":ModelCalls"] = "6" });
        emulator.Replies.Enqueue(Forever());
        var options = WeatherTool().WithRunBudget(new RunBudget { Name = "call", MaxModelCalls = 2 });

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options));

        Assert.Equal("call:ModelCalls", ex.LimitName);
        Assert.Equal(2, emulator.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PerCall_RunBudget_WithoutConfiguration_HoldsToo(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        emulator.Replies.Enqueue(Forever());
        var options = WeatherTool().WithRunBudget(new RunBudget { MaxModelCalls = 4, WrapUp = true });

        var (_, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", options);

        Assert.Equal(4, emulator.RequestCount);
        Assert.True(totals?.WrappedUp);
    }

    [Fact]
    public void Configuration_BadRunValues_AreStartUpErrorsNamingTheKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            [Run + ":Cost"] = "-1",
            [Run + ":ModelCalls"] = "zero",
            [Run + ":Duration"] = "soon",
            [Run + ":WrapUpp"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        using var provider = services.BuildServiceProvider();

        var problems = string.Join("\n", provider.GetRequiredService<ConfiguredChatClients>().Validate());

        Assert.Contains(Run + ":Cost", problems, StringComparison.Ordinal);
        Assert.Contains(Run + ":ModelCalls", problems, StringComparison.Ordinal);
        Assert.Contains(Run + ":Duration", problems, StringComparison.Ordinal);
        Assert.Contains(Run + ":WrapUpp", problems, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Configuration_RunLimitOnAnUnpricedModel_IsAStartUpError_UnlessAPolicyIsChosen(bool policy)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Model"] = "my-unpriced-model",
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            [Run + ":Cost"] = "0.50",
        };
        if (policy)
        {
            values["AI:Pricing:UnpricedModels"] = "Reject";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        using var provider = services.BuildServiceProvider();

        var problems = string.Join("\n", provider.GetRequiredService<ConfiguredChatClients>().Validate());

        if (policy)
        {
            Assert.DoesNotContain("has no price", problems, StringComparison.Ordinal);
        }
        else
        {
            // No silent unenforced run limit (issue 21, item 4): the model and the keys to set are named.
            Assert.Contains("'my-unpriced-model' has no price", problems, StringComparison.Ordinal);
            Assert.Contains("UnpricedModels", problems, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redis_SharedLedgerAndDailyBudget_RecordWhatTheWrappedUpRunSpent(bool stream)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new()
        {
            ["AI:Redis:Configuration"] = redis.Configuration,
            ["AI:Pipeline:Budget:Daily"] = "1",
            [Run + ":ModelCalls"] = "3",
            [Run + ":WrapUp"] = "true",
        });
        emulator.Replies.Enqueue(Calls("get_weather", "{\"city\":\"Paris\"}", times: 2, input: 100, output: 10));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Done.", InputTokens = 130, OutputTokens = 6 });

        var (_, totals) = await SendAsync(services.GetRequiredService<IChatClient>(), stream, "hi", WeatherTool());

        Assert.NotNull(totals?.Cost);
        var ledger = Assert.IsType<RedisCostLedger>(services.GetRequiredService<ICostLedger>());
        var recorded = await ledger.GetTotalAsync(cancellationToken: Ct);
        Assert.Equal(totals.Cost.Total, recorded.Total);
        var store = services.GetRequiredService<IBudgetStore>();
        var usage = await store.GetUsageAsync(new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = 1m, Period = BudgetPeriod.Daily }, "default", Ct);
        Assert.Equal(totals.Cost.Total, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
    }
}
