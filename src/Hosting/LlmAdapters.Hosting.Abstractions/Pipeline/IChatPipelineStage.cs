// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// One middleware of a configured pipeline, configured by the section <c>AI:Pipeline:{Name}</c> (or
/// <c>AI:Clients:{client}:Pipeline:{Name}</c>). Register one with
/// <see cref="ChatProviderServiceCollectionExtensions.AddChatPipelineStage(Microsoft.Extensions.DependencyInjection.IServiceCollection, IChatPipelineStage)"/>.
/// </summary>
public interface IChatPipelineStage
{
    /// <summary>Gets the name of the stage's configuration section under <c>Pipeline</c>, e.g. <c>Retry</c>.</summary>
    string Name { get; }

    /// <summary>Gets where the stage stands: lower numbers are further out (see <see cref="ChatPipelineOrder"/>).</summary>
    int Order { get; }

    /// <summary>Gets whether the stage is on when its section does not say <c>Enabled</c>.</summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <returns><see langword="true"/> when the stage applies.</returns>
    bool IsEnabled(ChatPipelineContext context);

    /// <summary>Checks the stage's configuration; each message names the configuration key at fault.</summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <returns>The problems found; empty when the configuration is valid.</returns>
    IEnumerable<string> Validate(ChatPipelineContext context);

    /// <summary>
    /// Wraps the rest of the pipeline in the stage's middleware, from the options the stage read from its section
    /// (the shape of <c>ChatClientBuilder.Use</c>, so that this contract needs no more than M.E.AI's abstractions).
    /// </summary>
    /// <param name="innerClient">The rest of the pipeline, towards the provider.</param>
    /// <param name="context">The client's pipeline context.</param>
    /// <returns>The middleware over <paramref name="innerClient"/>, or <paramref name="innerClient"/> itself when the stage has nothing to do.</returns>
    IChatClient Apply(IChatClient innerClient, ChatPipelineContext context);

    /// <summary>
    /// Gets the per-call override keys (<see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/>, in the
    /// <see cref="ChatCallOverrides.KeyPrefix"/> namespace) the stage's middleware reads. A configured pipeline fails a call
    /// that carries a key in that namespace no registered stage declares, so that a typo is never silently ignored; a key of
    /// a stage that is off for the client is known, and harmless.
    /// </summary>
    /// <value>The default value is empty: the stage reads no per-call key.</value>
    IReadOnlyCollection<string> CallOverrideKeys => [];
}
