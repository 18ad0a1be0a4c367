// Licensed under the MIT License.

namespace LlmAdapters.Resilience.Tests.Fallback;

/// <summary>The routing scenarios with the state in the memory of the process (no store).</summary>
public sealed class InMemoryRoutingTests : RoutingScenarios
{
    protected override IChatRoutingStore? Store => null;
}
