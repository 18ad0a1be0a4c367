// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Redis;
using LlmAdapters.TestUtilities.Redis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static LlmAdapters.Hosting.Tests.Tools.ToolLoopTests;

namespace LlmAdapters.Hosting.Tests.Tools;

/// <summary>
/// A run that ends with an exception (issue 21): a run limit without <c>WrapUp</c>, a <see cref="ToolLoopException"/> from
/// arguments that never parse, a tool that keeps throwing. The provider billed the model calls the run made, so the ledger
/// records them and the period budget settles what they cost instead of releasing the reservation. On the emulator over
/// HTTP, streaming and not, with the ledger and budget in memory and on a real redis-server.
/// </summary>
public sealed class RunFailureAccountingTests
{
    private const string Daily = "AI:Pipeline:Budget:Daily";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var kind in new[] { "RunLimit", "BadArguments", "ToolThrows" })
        {
            foreach (var stream in new[] { false, true })
            {
                foreach (var redis in new[] { false, true })
                {
                    data.Add(kind, stream, redis);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunEndsWithAnException_LedgerRecordsItsCalls_DailyBudgetSettlesTheirCost(string kind, bool stream, bool redis)
    {
        await using var server = redis ? await RedisServer.StartAsync() : null;
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var values = new Dictionary<string, string?> { [Daily] = "1" };
        if (server is not null)
        {
            values["AI:Redis:Configuration"] = server.Configuration;
        }

        if (kind == "RunLimit")
        {
            values["AI:Pipeline:Budget:Run:ModelCalls"] = "3";
        }

        await using var services = Build(emulator, values);
        var arguments = kind == "BadArguments" ? "{\"city\": \"Par" : "{\"city\":\"Paris\"}";
        emulator.Replies.Enqueue(Calls("get_weather", arguments, times: 50, input: 100, output: 10));
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create((string city) => kind == "ToolThrows" ? throw new InvalidOperationException("no weather today") : $"sunny in {city}", "get_weather")],
        };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(services.GetRequiredService<IChatClient>(), stream, "weather?", options));

        Assert.IsType(kind == "RunLimit" ? typeof(BudgetExceededException) : typeof(ToolLoopException), ex);
        Assert.Equal(3, emulator.RequestCount);

        // Three calls of 100 input and 10 output tokens of gpt-4o-mini: in the ledger and spent from the daily budget.
        var perCall = PriceCatalog.Default.GetPrice("gpt-4o-mini")!.Calculate(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }).Total;
        var ledger = services.GetRequiredService<ICostLedger>();
        var recorded = redis ? await Assert.IsType<RedisCostLedger>(ledger).GetTotalAsync(cancellationToken: Ct) : ledger.GetTotal();
        Assert.Equal(3 * perCall, recorded.Total);
        Assert.Equal(300, recorded.InputTokens);
        Assert.Equal(30, recorded.OutputTokens);
        var store = redis ? services.GetRequiredService<IBudgetStore>() : services.GetRequiredService<IChatClient>().GetService<BudgetChatClient>()!.Store;
        var usage = await store.GetUsageAsync(new BudgetLimit { Name = Daily, Amount = 1m, Period = BudgetPeriod.Daily }, "default", Ct);
        Assert.Equal(3 * perCall, usage.Spent);
        Assert.Equal(0m, usage.Reserved);

        if (!stream)
        {
            // The exception carries what the run consumed, for the caller too.
            var totals = ex.GetRunTotals();
            Assert.NotNull(totals);
            Assert.Equal(3, totals.ModelCalls);
            Assert.Equal(300, totals.Usage?.InputTokenCount);
            Assert.Equal(3 * perCall, totals.Cost?.Total);
        }
    }
}
