// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Configuration;

/// <summary>Issue 13, items 6 and 7: unknown keys and out-of-range values are errors at validation, each naming its key.</summary>
public sealed class ConfigurationValidationTests
{
    private static readonly Dictionary<string, string?> s_base = new()
    {
        ["AI:Provider"] = "openai",
        ["AI:Model"] = "gpt-4o-mini",
        ["AI:ApiKey"] = "sk-test-0000000000000000",
        ["AI:Endpoint"] = "http://127.0.0.1:9/v1",
        ["AI:Clients:welcome:MaxOutputTokens"] = "100",
    };

    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>(s_base);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ConfiguredChatClients>().Validate();
    }

    [Fact]
    public void Validate_ValidConfiguration_HasNoErrors() =>
        Assert.Empty(Validate(
            ("AI:Pipeline:Retry:MaxAttempts", "2"),
            ("AI:Pipeline:Timeout:Total", "2m"),
            ("AI:Pipeline:Timeout:Attempt", "30s"),
            ("AI:Pipeline:RateLimit:RequestsPerMinute", "60"),
            ("AI:Pipeline:OpenTelemetry:SourceName", "app"),
            ("AI:Pipeline:Budget:Daily", "5"),
            ("AI:Clients:default:Pipeline:Fallback:Clients:0", "welcome"),
            ("AI:Organization", "org-1"),
            ("AI:Pipeline:Timeout:FirstUpdate", "1193h")));

    [Theory]
    [InlineData("AI:Pipeline:Retry:MaxAttemps", "AI:Pipeline:Retry:MaxAttemps is not a known key: did you mean 'MaxAttempts'?")]
    [InlineData("AI:Pipeline:Timeout:Totl", "AI:Pipeline:Timeout:Totl is not a known key: did you mean 'Total'?")]
    [InlineData("AI:Modle", "AI:Modle is not a known key: did you mean 'Model'?")]
    [InlineData("AI:Clients:welcome:Providr", "AI:Clients:welcome:Providr is not a known key: did you mean 'Provider'?")]
    [InlineData("AI:Pipeline:Budget:Daly", "AI:Pipeline:Budget:Daly is not a known key: did you mean 'Daily'?")]
    [InlineData("AI:Pipeline:Fallback:BreakDurration", "AI:Pipeline:Fallback:BreakDurration is not a known key: did you mean 'BreakDuration'?")]
    public void Validate_MisspeltKey_NamesItAndSuggestsTheNearest(string key, string expected)
    {
        var errors = Validate((key, "3"));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal) && e.Contains("Known keys: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownKeyFarFromAny_ListsTheKnownKeysWithoutGuessing()
    {
        var error = Assert.Single(Validate(("AI:Pipeline:Retry:Banana", "1")));
        Assert.StartsWith("AI:Pipeline:Retry:Banana is not a known key. Known keys: ", error, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    [InlineData("99999999999999h")]
    [InlineData("1200h")]
    [InlineData("4294967.296")]
    [InlineData("0")]
    [InlineData("-5s")]
    [InlineData("10000000.00:00:00")]
    [InlineData("5 parsecs")]
    public void Validate_DurationOutOfRange_NamesTheKey(string value)
    {
        var error = Assert.Single(Validate(("AI:Pipeline:Timeout:Total", value)));
        Assert.StartsWith($"AI:Pipeline:Timeout:Total is '{value}', which is ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AI:NetworkTimeout")]
    [InlineData("AI:Pipeline:Retry:MaxDelay")]
    [InlineData("AI:Clients:default:Pipeline:Fallback:SamplingWindow")]
    public void Validate_DurationAboveTimerLimit_IsRejectedForEveryDurationKey(string key)
    {
        var errors = Validate((key, "1200h"), ("AI:Clients:default:Pipeline:Fallback:Clients:0", "welcome"));
        Assert.Contains(errors, e => e.StartsWith($"{key} is '1200h', which is longer than the longest duration a timer allows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AI:Temperature", "NaN")]
    [InlineData("AI:Temperature", "Infinity")]
    [InlineData("AI:Temperature", "1e300")]
    [InlineData("AI:MaxOutputTokens", "1e300")]
    [InlineData("AI:MaxOutputTokens", "99999999999")]
    [InlineData("AI:Pipeline:Retry:MaxAttempts", "0")]
    [InlineData("AI:Pipeline:Budget:Daily", "1e300")]
    public void Validate_NumberOutOfRange_NamesTheKey(string key, string value)
    {
        var errors = Validate((key, value));
        Assert.Contains(errors, e => e.StartsWith($"{key} is '{value}', which is not ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sk-test-0000000000000000\r\nX-Injected: 1", "line break")]
    [InlineData("sk-test-0000000000000000\n", "line break")]
    [InlineData("sk-test-00000000\u0007000000", "control character")]
    [InlineData("sk-test-0000000000000000é", "non-ASCII")]
    public void Validate_KeyAHeaderCannotCarry_NamesItsPathAndNeverPrintsTheKey(string key, string problem)
    {
        var errors = Validate(("AI:ApiKey", key));

        var error = Assert.Single(errors, e => e.Contains("AI:ApiKey", StringComparison.Ordinal));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-0000", error, StringComparison.Ordinal);
    }
}
