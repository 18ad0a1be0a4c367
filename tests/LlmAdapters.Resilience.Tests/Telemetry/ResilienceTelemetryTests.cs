// Licensed under the MIT License.

using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Telemetry;

public sealed class ResilienceTelemetryTests
{
    [Fact]
    public void Meter_NamedAfterPackageWithVersion()
    {
        Assert.Equal("LlmAdapters.Resilience", ResilienceTelemetry.Meter.Name);
        Assert.Equal(ResilienceTelemetryNames.MeterName, ResilienceTelemetry.Meter.Name);
        Assert.False(string.IsNullOrEmpty(ResilienceTelemetry.Meter.Version));
    }

    [Fact]
    public void Instruments_AreLowercaseDottedWithUcumUnits()
    {
        var instruments = new (string Name, string? Unit)[]
        {
            (ResilienceTelemetry.RetryAttempts.Name, ResilienceTelemetry.RetryAttempts.Unit),
            (ResilienceTelemetry.RetryGiveUps.Name, ResilienceTelemetry.RetryGiveUps.Unit),
            (ResilienceTelemetry.TimeoutsExpired.Name, ResilienceTelemetry.TimeoutsExpired.Unit),
            (ResilienceTelemetry.RateLimitWait.Name, ResilienceTelemetry.RateLimitWait.Unit),
            (ResilienceTelemetry.RateLimitRejections.Name, ResilienceTelemetry.RateLimitRejections.Unit),
            (ResilienceTelemetry.FallbackSwitches.Name, ResilienceTelemetry.FallbackSwitches.Unit),
            (ResilienceTelemetry.CircuitOpened.Name, ResilienceTelemetry.CircuitOpened.Unit),
            (ResilienceTelemetry.ApiKeyCooldowns.Name, ResilienceTelemetry.ApiKeyCooldowns.Unit),
        };

        Assert.All(instruments, i =>
        {
            Assert.Matches("^llmadapters\\.[a-z_]+\\.[a-z_]+$", i.Name);
            Assert.Matches("^(s|\\{[a-z]+\\})$", i.Unit);
        });
    }

    [Fact]
    public async Task Retry_RecordsAttemptsByErrorKind()
    {
        var time = new FakeTimeProvider();
        using var collector = new MetricCollector<long>(ResilienceTelemetry.Meter, "llmadapters.retry.attempts");
        var inner = Sequence(out _, time, Fail(Error(ChatProviderErrorKind.ContentFiltered)), Succeed());
        using var client = new RetryChatClient(inner, new RetryChatClientOptions
        {
            TimeProvider = time,
            ShouldRetry = _ => true,
        });

        await time.DriveAsync(client.GetResponseAsync(Prompt()));

        // ContentFiltered is retried only because this test's predicate says so: no other test records that kind.
        var measurement = Assert.Single(collector.GetMeasurementSnapshot(), m => Equals(m.Tags["error.type"], "ContentFiltered"));
        Assert.Equal(1, measurement.Value);
    }

    [Fact]
    public async Task Fallback_RecordsSwitchByClient()
    {
        var time = new FakeTimeProvider();
        using var collector = new MetricCollector<long>(ResilienceTelemetry.Meter, "llmadapters.fallback.switches");
        var a = Sequence(out _, time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        using var client = new FallbackChatClient(
            a,
            [new KeyValuePair<string, Microsoft.Extensions.AI.IChatClient>("b", Sequence(out _, time, Succeed()))],
            new FallbackChatClientOptions { PrimaryName = "telemetry-primary", TimeProvider = time });

        await client.GetResponseAsync(Prompt());

        var measurement = Assert.Single(collector.GetMeasurementSnapshot(), m => Equals(m.Tags["llmadapters.fallback.client"], "telemetry-primary"));
        Assert.Equal("Overloaded", measurement.Tags["error.type"]);
    }
}
