// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Agents.Tests;

/// <summary>
/// Issue 21, item 2: Microsoft Agent Framework 1.28 runs its tool loop over a configured client on the emulator (over
/// HTTP). It finds the pipeline's function invocation through <c>GetService&lt;FunctionInvokingChatClient&gt;()</c> and adds
/// none of its own, so each tool runs once per call, the run budget holds, and the run's totals come back.
/// </summary>
public sealed class AgentFrameworkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static ServiceProvider Build(EmulatorServer emulator, Dictionary<string, string?>? values = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        };
        foreach (var (k, v) in values ?? [])
        {
            all[k] = v;
        }

        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(all).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    private static (AIFunction Tool, Func<int> Runs) Weather()
    {
        var runs = 0;
        var tool = AIFunctionFactory.Create((string city) => { Interlocked.Increment(ref runs); return $"sunny, 21 °C in {city}"; }, "get_weather");
        return (tool, () => Volatile.Read(ref runs));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientAgent_ToolLoop_RunsOnTheConfiguredPipeline_ToolRunsOnce(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator);
        var (tool, runs) = Weather();
        var agent = new ChatClientAgent(services.GetRequiredService<IChatClient>(), "You are helpful.", "weather", null, [tool], null, null);

        string text;
        if (stream)
        {
            var builder = new System.Text.StringBuilder();
            await foreach (var update in agent.RunStreamingAsync("call get_weather city=Paris", cancellationToken: Ct))
            {
                builder.Append(update.Text);
            }

            text = builder.ToString();
        }
        else
        {
            text = (await agent.RunAsync("call get_weather city=Paris", cancellationToken: Ct)).Text;
        }

        Assert.Contains("sunny, 21", text, StringComparison.Ordinal);
        Assert.Equal(1, runs());
        Assert.Equal(2, emulator.RequestCount);
        Assert.IsAssignableFrom<FunctionInvokingChatClient>(agent.ChatClient.GetService<FunctionInvokingChatClient>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientAgent_RunBudget_Holds(bool stream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:Budget:Run:ModelCalls"] = "3" });
        emulator.Replies.Enqueue(new EmulatorReply { ToolCalls = { new EmulatorToolCall("get_weather", "{\"city\":\"Paris\"}") }, Times = 50 });
        var (tool, runs) = Weather();
        var agent = new ChatClientAgent(services.GetRequiredService<IChatClient>(), "You are helpful.", "weather", null, [tool], null, null);

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            if (stream)
            {
                await foreach (var _ in agent.RunStreamingAsync("weather?", cancellationToken: Ct))
                {
                }
            }
            else
            {
                await agent.RunAsync("weather?", cancellationToken: Ct);
            }
        });

        Assert.Equal("AI:Pipeline:Budget:Run:ModelCalls", ex.LimitName);
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(3, runs());
    }

    [Fact]
    public async Task ChatClientAgent_RunBudgetWithWrapUp_AnswersWithinTheLimit_TotalsOnTheResponse()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:Budget:Run:ModelCalls"] = "3", ["AI:Pipeline:Budget:Run:WrapUp"] = "true" });
        emulator.Replies.Enqueue(new EmulatorReply { ToolCalls = { new EmulatorToolCall("get_weather", "{\"city\":\"Paris\"}") }, Times = 2 });
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Sunny in Paris, as far as I got." });
        var (tool, _) = Weather();
        var agent = new ChatClientAgent(services.GetRequiredService<IChatClient>(), "You are helpful.", "weather", null, [tool], null, null);

        var response = await agent.RunAsync("weather?", cancellationToken: Ct);

        Assert.Contains("as far as I got", response.Text, StringComparison.Ordinal);
        Assert.Equal(3, emulator.RequestCount);
        var totals = (response.RawRepresentation as ChatResponse)?.GetRunTotals();
        Assert.NotNull(totals);
        Assert.Equal(3, totals.ModelCalls);
        Assert.True(totals.WrappedUp);
    }
}
