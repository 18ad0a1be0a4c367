// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

/// <summary>The native adapters' providers in the cost middleware: Qwen through DashScope's native API is priced; a local Ollama costs 0 unless priced.</summary>
public sealed class NativeProviderCostTests
{
    private static TestChatClient Inner(string provider, string model) => new()
    {
        Metadata = new ChatClientMetadata(provider, null, model),
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = model,
            Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000 },
        }),
    };

    [Fact]
    public async Task DashScopeNative_QwenPlus_IsPricedByTheCatalog()
    {
        using var inner = Inner("dashscope-native", "qwen-plus");
        using var sut = new CostAccountingChatClient(inner);

        var cost = (await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost();

        Assert.NotNull(cost);
        var price = PriceCatalog.Default.GetPrice("qwen-plus")!;
        Assert.Equal(price.Calculate(new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000 }).Total, cost.Total);
        Assert.True(cost.Total > 0);
    }

    [Fact]
    public async Task Ollama_UnpricedLocalModel_CostsZero()
    {
        using var inner = Inner("ollama", "llama3.2");
        using var sut = new CostAccountingChatClient(inner);

        var cost = (await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost();

        Assert.NotNull(cost);
        Assert.Equal(0m, cost.Total);
    }

    [Fact]
    public async Task Ollama_ConfiguredPrice_Wins()
    {
        var catalog = PriceCatalog.Default.WithPrices([new ModelPrice { ModelId = "llama3.2", InputPerMillion = 0.1m, OutputPerMillion = 0.2m }]);
        using var inner = Inner("ollama", "llama3.2");
        using var sut = new CostAccountingChatClient(inner, new() { Catalog = catalog });

        Assert.Equal(0.3m, (await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost()!.Total);
    }

    [Fact]
    public async Task RemoteProvider_UnpricedModel_StaysUnpriced()
    {
        using var inner = Inner("vllm", "my-own-model");
        using var sut = new CostAccountingChatClient(inner);

        Assert.Null((await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost());
    }
}
