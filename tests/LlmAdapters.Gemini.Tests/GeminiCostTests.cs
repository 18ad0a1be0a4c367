// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using static LlmAdapters.Gemini.Tests.TestSupport;

namespace LlmAdapters.Gemini.Tests;

/// <summary>A Gemini response is priced by the shipped catalog, its thoughts billed as output.</summary>
public sealed class GeminiCostTests
{
    [Fact]
    public async Task Gemini3Response_IsPriced_ThoughtsCountedAsOutput()
    {
        using var client = CreateClient(JsonHandler("nonstream-thinking-signature-gemini3.json"), o => o.Model = "gemini-3-pro-preview");
        var response = await client.GetResponseAsync("How many r in strawberry?", cancellationToken: Ct);
        var price = PriceCatalog.Default.GetPrice(response.ModelId)!;

        var cost = PriceCatalog.Default.Calculate(response.ModelId, response.Usage)!;

        // 9 prompt tokens; 29 answer tokens + 282 thought tokens, all billed at the output price (USD per million tokens).
        Assert.Equal(9m * price.InputPerMillion / 1_000_000m, cost.Input);
        Assert.Equal(29m * price.OutputPerMillion / 1_000_000m, cost.Output);
        Assert.Equal(282m * price.OutputPerMillion / 1_000_000m, cost.Reasoning);
        Assert.Equal((9m * price.InputPerMillion + (29m + 282m) * price.OutputPerMillion) / 1_000_000m, cost.Total);
    }

    [Fact]
    public async Task StreamedResponse_IsPricedOnceFromTheLastUsage()
    {
        using var client = CreateClient(SseHandler("stream-text-simple.sse"));
        var response = (await CollectAsync(client.GetStreamingResponseAsync("What is the capital of France?", cancellationToken: Ct))).ToChatResponse();
        var price = PriceCatalog.Default.GetPrice("gemini-2.0-flash")!;

        var cost = PriceCatalog.Default.Calculate(response.ModelId, response.Usage)!;

        Assert.Equal((7m * price.InputPerMillion + 9m * price.OutputPerMillion) / 1_000_000m, cost.Total);
    }
}
