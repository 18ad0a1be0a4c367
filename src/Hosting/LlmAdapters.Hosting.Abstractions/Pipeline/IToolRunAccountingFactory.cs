// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// What a package adds to the tool loop of configured clients (the FunctionInvocation stage) beside its iteration and
/// error limits: LlmAdapters.Cost registers one for run budgets (<c>AI:Pipeline:Budget:Run</c>) and the run's cost.
/// Registered as a service; the stage asks every one registered once per client, so Hosting needs no reference to the
/// package that brings it.
/// </summary>
public interface IToolRunAccountingFactory
{
    /// <summary>Creates the accounting of one configured client's runs.</summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <returns>The accounting, or <see langword="null"/> when the client needs none.</returns>
    IToolRunAccounting? Create(ChatPipelineContext context);
}
