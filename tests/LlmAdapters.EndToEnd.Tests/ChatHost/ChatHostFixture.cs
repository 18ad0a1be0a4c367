// Licensed under the MIT License.

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>One chat host on the emulator shared by the tests of a class (they run one after another).</summary>
public sealed class ChatHostFixture : IAsyncLifetime
{
    internal RunningChatHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await RunningChatHost.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
