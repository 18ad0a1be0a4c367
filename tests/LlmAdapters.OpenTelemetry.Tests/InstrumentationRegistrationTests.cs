// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.Cost;
using LlmAdapters.Resilience;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmAdapters.OpenTelemetry.Tests;

/// <summary>
/// <c>AddLlmAdaptersInstrumentation()</c> on the OpenTelemetry SDK's builders, with the InMemory exporter: a tool loop
/// composed in M.E.AI's recommended order (OpenTelemetry inside function invocation) yields its spans with our tags, and
/// our meters and M.E.AI's reach the exporter.
/// </summary>
public sealed class InstrumentationRegistrationTests
{
    private static readonly ChatClientMetadata s_metadata = new("openai", new Uri("https://api.openai.com/v1"), "gpt-4o-mini");

    /// <summary>A model that first asks for get_weather, then answers; it fails once with a 503 before the first call.</summary>
    private static TestChatClient ToolLoopModel()
    {
        var calls = 0;
        return new TestChatClient
        {
            Metadata = s_metadata,
            GetResponseAsyncCallback = (messages, options, ct) =>
            {
                calls++;
                if (calls == 1)
                {
                    throw new ChatProviderException(ChatProviderErrorKind.Unavailable, "openai", "Service unavailable.", System.Net.HttpStatusCode.ServiceUnavailable);
                }

                var reply = messages.Any(m => m.Contents.OfType<FunctionResultContent>().Any())
                    ? new ChatMessage(ChatRole.Assistant, "It is sunny in Paris.")
                    : new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]);
                return Task.FromResult(new ChatResponse(reply)
                {
                    ModelId = "gpt-4o-mini",
                    Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
                    FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
                });
            },
        };
    }

    private static IChatClient Pipeline(IChatClient model) => model.AsBuilder()
        .UseFunctionInvocation()
        .UseOpenTelemetry()
        .UseCostAccounting()
        .UseRetry(o => o.BaseDelay = TimeSpan.Zero)
        .Build();

    private static ChatOptions WeatherTool() => new()
    {
        Tools = [AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather.")],
    };

    [Fact]
    public async Task Tracing_ToolLoop_HasAChatSpanPerModelCallAndAnExecuteToolSpan_WithOurTags()
    {
        var spans = new List<Activity>();
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddLlmAdaptersInstrumentation().AddInMemoryExporter(spans).Build())
        {
            using var client = Pipeline(ToolLoopModel());
            var response = await client.GetResponseAsync("Weather in Paris?", WeatherTool(), TestContext.Current.CancellationToken);
            Assert.Equal("It is sunny in Paris.", response.Text);
        }

        var operations = spans.Select(s => s.GetTagItem("gen_ai.operation.name") as string).ToList();
        Assert.Equal(2, operations.Count(o => o == "chat"));
        Assert.Single(operations, o => o == "execute_tool");
        Assert.Contains(spans, s => s.DisplayName.StartsWith("orchestrate_tools", StringComparison.Ordinal));

        var chats = spans.Where(s => (string?)s.GetTagItem("gen_ai.operation.name") == "chat").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.All(chats, chat =>
        {
            Assert.Equal(100L, Convert.ToInt64(chat.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.NotNull(chat.GetTagItem(CostTelemetryNames.CostTag));
        });

        // The first model call needed a retry: that chat span says so; the second took one attempt.
        Assert.Equal(2, Convert.ToInt32(chats[0].GetTagItem("llmadapters.retry.attempts"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(chats[1].GetTagItem("llmadapters.retry.attempts"), System.Globalization.CultureInfo.InvariantCulture));

        // No attribute is set twice on one span.
        Assert.All(spans, span => Assert.Equal(span.TagObjects.Count(), span.TagObjects.Select(t => t.Key).Distinct().Count()));
    }

    [Fact]
    public async Task Metrics_ReachTheExporter_OursAndMicrosoftExtensionsAIs()
    {
        var metrics = new List<Metric>();
        using (var meters = Sdk.CreateMeterProviderBuilder().AddLlmAdaptersInstrumentation().AddInMemoryExporter(metrics).Build())
        {
            using var client = Pipeline(ToolLoopModel());
            await client.GetResponseAsync("Weather in Paris?", WeatherTool(), TestContext.Current.CancellationToken);
            meters.ForceFlush();
        }

        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("gen_ai.client.operation.duration", names);
        Assert.Contains("gen_ai.client.token.usage", names);
        Assert.Contains(CostTelemetryNames.CostInstrument, names);
        Assert.Contains("llmadapters.retry.attempts", names);
    }

    [Fact]
    public void Names_AreTheOnesThePackagesUse()
    {
        Assert.Equal(["Experimental.Microsoft.Extensions.AI"], LlmAdaptersTelemetrySources.ActivitySourceNames);
        Assert.Equal(["Experimental.Microsoft.Extensions.AI", "LlmAdapters.Resilience", "LlmAdapters.Cost", "LlmAdapters.Hosting", "LlmAdapters.Redis"], LlmAdaptersTelemetrySources.MeterNames);

        // Written out in the OpenTelemetry package so that it does not bring Redis along: the names must agree.
        Assert.Equal(LlmAdapters.Redis.RedisTelemetryNames.MeterName, LlmAdaptersTelemetrySources.Redis);
        Assert.Equal(ResilienceTelemetryNames.MeterName, LlmAdaptersTelemetrySources.Resilience);
        Assert.Equal(CostTelemetryNames.MeterName, LlmAdaptersTelemetrySources.Cost);
    }

    [Fact]
    public void Extensions_NullBuilder_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ((TracerProviderBuilder)null!).AddLlmAdaptersInstrumentation());
        Assert.Throws<ArgumentNullException>(() => ((MeterProviderBuilder)null!).AddLlmAdaptersInstrumentation());
    }
}
