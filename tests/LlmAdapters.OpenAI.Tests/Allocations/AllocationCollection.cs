// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Tests.Allocations;

/// <summary>Allocation guards count the process's bytes, so they run alone, after the tests that run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Allocations";
}
