// Licensed under the MIT License.

namespace LlmAdapters.Hosting.Tests.Telemetry;

/// <summary>
/// Tests that listen to the Hosting meter's overhead instrument run alone: listening turns the overhead measurement on in
/// every configured pipeline of the process, which would change what the allocation guards running beside them count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Meter listeners";
}
