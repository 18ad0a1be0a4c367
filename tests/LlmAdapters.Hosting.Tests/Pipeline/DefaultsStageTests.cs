// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>
/// The defaults stage sets only what a call leaves unset, never changes the caller's <see cref="ChatOptions"/>, and makes
/// options when the caller passes none (issue 16 item 3 replaced M.E.AI's ConfigureOptions with a client of our own).
/// </summary>
public sealed class DefaultsStageTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["AI:Provider"] = "recording",
        ["AI:Model"] = "model-default",
        ["AI:MaxOutputTokens"] = "512",
        ["AI:Temperature"] = "0.7",
        ["AI:SystemPrompt"] = "You are helpful.",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoOptions_ProviderGetsEveryDefault()
    {
        var (services, provider) = Build();
        await using var _ = services;

        await services.GetRequiredService<IChatClient>().GetResponseAsync("Hi", cancellationToken: Ct);

        var request = Assert.Single(provider.Requests);
        Assert.NotNull(request);
        Assert.Equal("model-default", request.ModelId);
        Assert.Equal("You are helpful.", request.Instructions);
        Assert.Equal(0.7f, request.Temperature);
        Assert.Equal(512, request.MaxOutputTokens);
    }

    [Fact]
    public async Task PartialOptions_GapsFilledAndCallersOptionsUnchanged()
    {
        var (services, provider) = Build();
        await using var _ = services;
        var options = new ChatOptions { Temperature = 0.1f, Instructions = "Mine." };

        await services.GetRequiredService<IChatClient>().GetResponseAsync("Hi", options, Ct);

        var request = Assert.Single(provider.Requests);
        Assert.NotNull(request);
        Assert.Equal(0.1f, request.Temperature);
        Assert.Equal("Mine.", request.Instructions);
        Assert.Equal("model-default", request.ModelId);
        Assert.Equal(512, request.MaxOutputTokens);
        Assert.Null(options.ModelId);
        Assert.Null(options.MaxOutputTokens);
        Assert.Equal(0.1f, options.Temperature);
        Assert.Equal("Mine.", options.Instructions);
    }

    [Fact]
    public async Task CompleteOptions_CallersValuesWin()
    {
        var (services, provider) = Build();
        await using var _ = services;
        var options = new ChatOptions { ModelId = "model-mine", Instructions = "Mine.", Temperature = 0.2f, MaxOutputTokens = 64 };

        await services.GetRequiredService<IChatClient>().GetResponseAsync("Hi", options, Ct);

        var request = Assert.Single(provider.Requests);
        Assert.NotNull(request);
        Assert.Equal("model-mine", request.ModelId);
        Assert.Equal("Mine.", request.Instructions);
        Assert.Equal(0.2f, request.Temperature);
        Assert.Equal(64, request.MaxOutputTokens);
    }

    private static (ServiceProvider Services, RecordingProvider Provider) Build()
    {
        var provider = new RecordingProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(s_settings).Build();
        var services = new ServiceCollection();
        services.AddChatProvider(provider);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return (services.BuildServiceProvider(), provider);
    }
}
