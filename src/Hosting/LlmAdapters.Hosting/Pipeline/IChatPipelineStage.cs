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

    /// <summary>Adds the stage's middleware to the builder.</summary>
    /// <param name="builder">The builder of the client's pipeline.</param>
    /// <param name="context">The client's pipeline context.</param>
    void Configure(ChatClientBuilder builder, ChatPipelineContext context);
}
