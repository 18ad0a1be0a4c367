// Licensed under the MIT License.

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// One gateway on the emulator shared by every test that injects emulator faults: they are in one collection, so they
/// run one after another and a fault meant for one test is never taken by another.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    internal RunningGateway Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Gateway = await RunningGateway.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>The tests that share <see cref="GatewayFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "Gateway";
}
