// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

/// <summary>The per-call worst-case output of a budget reservation (<see cref="ChatOptionsBudgetExtensions"/>).</summary>
public sealed class BudgetOverrideTests
{
    // gpt-4o ($2.50 in, $10 out per million) with a fixed estimate of 1000 input tokens: $0.0025 + $0.00001 per output token.
    private static readonly ITokenEstimator s_fixedEstimator = new FixedEstimator(1000);

    [Fact]
    public async Task GetResponseAsync_SmallerWorstCase_ReservesThatInsteadOfMaxOutputTokens()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(0.004m); // MaxOutputTokens 500 would need $0.0075
        decimal reservedDuringCall = -1;
        using var inner = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                reservedDuringCall = (await store.GetUsageAsync(limit, "default", ct)).Reserved;
                return Response(1000, 50);
            },
        };
        using var sut = NewClient(inner, store, limit);
        var options = GptOptions().WithWorstCaseOutputTokens(100);

        await sut.GetResponseAsync("hi", options, TestContext.Current.CancellationToken);

        Assert.Equal(0.0035m, reservedDuringCall); // 1000 x $2.50 + 100 x $10 per million
        Assert.Equal(500, options.MaxOutputTokens); // the provider's limit is untouched
        Assert.Equal(0.003m, (await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken)).Spent);

        // Without the override the same call does not fit.
        await Assert.ThrowsAsync<BudgetExceededException>(() => sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetResponseAsync_LargerWorstCase_RejectedWithThatRequest()
    {
        var calls = 0;
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => { calls++; return Task.FromResult(Response(10, 10)); } };
        using var sut = NewClient(inner, new InMemoryBudgetStore(), Daily(0.01m));
        var options = new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 10 }.WithWorstCaseOutputTokens(5000);

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => sut.GetResponseAsync("hi", options, TestContext.Current.CancellationToken));

        Assert.Equal(0.0525m, ex.Requested);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SmallerWorstCase_Fits()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(0.004m);
        decimal reservedDuringCall = -1;
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Streamed(store, limit, r => reservedDuringCall = r, ct) };
        using var sut = NewClient(inner, store, limit);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in sut.GetStreamingResponseAsync("hi", GptOptions().WithWorstCaseOutputTokens(100), TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        Assert.Equal("ok", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(0.0035m, reservedDuringCall);
        await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            await foreach (var update in sut.GetStreamingResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken))
            {
                Assert.Fail("No update may arrive: " + update.Text);
            }
        });
    }

    [Fact]
    public async Task GetStreamingResponseAsync_BadValue_ArgumentExceptionNamingKeyBeforeTheCall()
    {
        var calls = 0;
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => { calls++; return Streamed(new InMemoryBudgetStore(), Daily(1m), _ => { }, ct); } };
        using var sut = NewClient(inner, new InMemoryBudgetStore(), Daily(1m));
        var options = GptOptions();
        options.AdditionalProperties = new() { [ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey] = "lots" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var update in sut.GetStreamingResponseAsync("hi", options, TestContext.Current.CancellationToken))
            {
                Assert.Fail("No update may arrive: " + update.Text);
            }
        });

        Assert.Contains(ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    public static TheoryData<object> Forms() => new() { 250, 250L, 250d, "250", JsonDocument.Parse("250").RootElement, JsonDocument.Parse("\"250\"").RootElement };

    [Theory]
    [MemberData(nameof(Forms))]
    public void GetWorstCaseOutputTokens_TypedAndJsonForms_Read(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey] = value } };

        Assert.Equal(250, options.GetWorstCaseOutputTokens());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(2.5d)]
    [InlineData("many")]
    [InlineData(3_000_000_000L)]
    public void GetWorstCaseOutputTokens_BadValue_ThrowsNamingKey(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey] = value } };

        var ex = Assert.Throws<ArgumentException>(() => options.GetWorstCaseOutputTokens());

        Assert.Contains(ChatOptionsBudgetExtensions.WorstCaseOutputTokensKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithWorstCaseOutputTokens_NotPositive_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithWorstCaseOutputTokens(0));

    private static async IAsyncEnumerable<ChatResponseUpdate> Streamed(IBudgetStore store, BudgetLimit limit, Action<decimal> reserved, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        reserved((await store.GetUsageAsync(limit, "default", ct)).Reserved);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "ok") { ModelId = "gpt-4o" };
        yield return new ChatResponseUpdate { ModelId = "gpt-4o", Contents = [new UsageContent(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 50 })] };
    }

    private static BudgetLimit Daily(decimal amount) => new() { Name = "AI:Pipeline:Budget:Daily", Amount = amount, Period = BudgetPeriod.Daily };

    private static ChatOptions GptOptions() => new() { ModelId = "gpt-4o", MaxOutputTokens = 500 };

    private static ChatResponse Response(long input, long output) =>
        new(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = "gpt-4o", Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } };

    private static BudgetChatClient NewClient(IChatClient inner, IBudgetStore store, BudgetLimit limit) =>
        new(inner, new BudgetChatClientOptions { Store = store, TokenEstimator = s_fixedEstimator, Limits = { limit } });

    private sealed class FixedEstimator(int tokens) : ITokenEstimator
    {
        public int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options) => tokens;
    }
}
