// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Configuration;

/// <summary><c>AI:Pricing</c> is read on the stages' path: messages name the key the user wrote, unknown keys are reported.</summary>
public sealed class PricingConfigurationTests
{
    private static IReadOnlyList<string> Validate(params (string Key, string? Value)[] pricing)
    {
        var values = new Dictionary<string, string?> { ["AI:Provider"] = "recording", ["AI:Model"] = "model-a" };
        foreach (var (key, value) in pricing)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddChatProvider(new RecordingProvider());
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ConfiguredChatClients>().Validate();
    }

    [Fact]
    public void Validate_BadPrice_NamesTheKeyUnderAI()
    {
        var errors = Validate(("AI:Pricing:Models:model-a:Input", "1"), ("AI:Pricing:Models:model-a:Output", "ten"));

        Assert.Contains(errors, e => e.StartsWith("AI:Pricing:Models:model-a:Output", StringComparison.Ordinal) && e.Contains("'ten'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownPricingKey_ReportedWithItsPath()
    {
        var errors = Validate(("AI:Pricing:Modles:model-a:Input", "1"));

        // Reported like an unknown key of a stage's section: by the path of each value the user wrote.
        var error = Assert.Single(errors);
        Assert.StartsWith("AI:Pricing:Modles:model-a:Input is not a known key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValidPricing_NoErrors()
    {
        Assert.Empty(Validate(("AI:Pricing:Models:model-a:Input", "1"), ("AI:Pricing:Models:model-a:Output", "2"), ("AI:Pricing:Aliases:a", "model-a")));
    }
}
