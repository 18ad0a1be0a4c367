// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>One provider's wire dialect: maps its endpoints onto the emulator's shared model and faults.</summary>
internal interface IEmulatorDialect
{
    /// <summary>Gets the dialect name (<c>openai</c>, <c>anthropic</c>), matched by <see cref="EmulatorFault.Dialect"/>.</summary>
    string Name { get; }

    /// <summary>Maps the dialect's endpoints.</summary>
    /// <param name="routes">The routes.</param>
    /// <param name="server">The server, for faults, scripts and the request log.</param>
    void Map(IEndpointRouteBuilder routes, EmulatorServer server);
}
