// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting.Tests;

/// <summary>
/// Issues #13 and #14: a configured pipeline logs an unexpected failure once, with its stack trace but with the
/// configured key (whatever its shape) and every key-shaped string masked, and marks it logged so the application does
/// not log it again.
/// </summary>
public sealed class FailureLoggingTests
{
    // A gateway token: nothing about its shape says "key", only the configuration does.
    private const string GatewayToken = "gateway-token-7f3a9c";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnexpectedFailure_IsLoggedOnceRedacted_AndMarkedLogged()
    {
        var failure = new InvalidOperationException(
            $"the proxy said: bad token {GatewayToken}",
            new FormatException($"inner detail sk-proj-Inner0123456789abcdefghij and {GatewayToken}"));
        using var provider = Build(new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw failure });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(
            () => provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: Ct));

        Assert.Same(failure, thrown);
        Assert.True(ChatFailureLogging.WasLogged(thrown));
        var record = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, record.Level);
        var text = record.Message + Environment.NewLine + record.Exception;
        Assert.Contains("System.InvalidOperationException: the proxy said: bad token", text, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: inner detail", text, StringComparison.Ordinal);
        Assert.Contains(nameof(UnexpectedFailure_IsLoggedOnceRedacted_AndMarkedLogged), text, StringComparison.Ordinal);   // the stack trace
        Assert.DoesNotContain(GatewayToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Inner0123456789", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderFailure_IsMarkedLogged_AndAFailureNeverThroughThePipelineIsNot()
    {
        using var provider = Build(new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => throw new ChatProviderException(ChatProviderErrorKind.InvalidRequest, "throwing", "rejected"),
        });

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(
            () => provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: Ct));

        Assert.True(ChatFailureLogging.WasLogged(thrown));
        Assert.True(ChatFailureLogging.WasLogged(new AggregateException(thrown)));
        Assert.False(ChatFailureLogging.WasLogged(new InvalidOperationException("never logged")));
    }

    private static ServiceProvider Build(TestChatClient client)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddFakeLogging());
        services.AddChatProvider("throwing", _ => client, defaultEndpoint: new Uri("http://throwing.invalid/"));
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "throwing",
            ["AI:Model"] = "m",
            ["AI:ApiKey"] = GatewayToken,
            ["AI:Pipeline:Retry:Enabled"] = "false",
        }).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }
}
