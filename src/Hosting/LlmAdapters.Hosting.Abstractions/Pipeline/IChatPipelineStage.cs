// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// One middleware of a configured pipeline, configured by the section <c>AI:Pipeline:{Name}</c> (or
/// <c>AI:Clients:{client}:Pipeline:{Name}</c>). Register one with
/// <see cref="Microsoft.Extensions.DependencyInjection.ChatProviderServiceCollectionExtensions.AddChatPipelineStage(Microsoft.Extensions.DependencyInjection.IServiceCollection, IChatPipelineStage)"/>.
/// Derive from <see cref="ChatPipelineStage{TOptions}"/> rather than implementing this interface directly.
/// </summary>
/// <remarks>
/// The host calls <see cref="Read"/> once per client, keeps what it returns with the client's resolved plan, and builds
/// the client's pipeline from it with <see cref="Apply"/>: a stage's section is read once, not once to validate and
/// again to build.
/// </remarks>
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

    /// <summary>
    /// Reads the stage's section (<see cref="ChatPipelineContext.Section"/>) into its options, once per client. Every
    /// problem is added to <paramref name="errors"/> as a message naming the configuration key at fault; nothing is thrown
    /// for a bad value. The host calls it for a switched-off stage too, so that the keys it reads are known keys.
    /// </summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <param name="errors">Collects the problems found.</param>
    /// <returns>The stage's options, given back to <see cref="Apply"/>.</returns>
    object? Read(ChatPipelineContext context, List<string> errors);

    /// <summary>
    /// Wraps the rest of the pipeline in the stage's middleware, built from the options <see cref="Read"/> returned
    /// (the shape of <c>ChatClientBuilder.Use</c>, so that this contract needs no more than M.E.AI's abstractions).
    /// </summary>
    /// <param name="innerClient">The rest of the pipeline, towards the provider.</param>
    /// <param name="context">The client's pipeline context.</param>
    /// <param name="options">What <see cref="Read"/> returned for this client, read without errors.</param>
    /// <returns>The middleware over <paramref name="innerClient"/>, or <paramref name="innerClient"/> itself when the stage has nothing to do.</returns>
    IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, object? options);

    /// <summary>
    /// Gets the per-call override keys (<see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/>, in the
    /// <see cref="ChatCallOverrides.KeyPrefix"/> namespace) the stage's middleware reads. A configured pipeline fails a call
    /// that carries a key in that namespace no registered stage declares, so that a typo is never silently ignored; a key of
    /// a stage that is off for the client is known, and harmless.
    /// </summary>
    /// <value>The default value is empty: the stage reads no per-call key.</value>
    IReadOnlyCollection<string> CallOverrideKeys => [];

    /// <summary>
    /// Gets the per-call override keys among <see cref="CallOverrideKeys"/> that are part of what an answer is (the tenant:
    /// tenants do not share answers). The Cache stage leaves every other declared key out of its cache key, since such a key
    /// changes how an answer is obtained (a retry count, a timeout, fallback clients), not what it is.
    /// </summary>
    /// <value>The default value is empty: none of the stage's keys changes the answer.</value>
    IReadOnlyCollection<string> CacheKeyCallOverrideKeys => [];
}
