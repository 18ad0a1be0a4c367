// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// A pipeline stage with typed options: <see cref="Read"/> reads the stage's section into a <typeparamref name="TOptions"/>
/// once per client, collecting every problem with its key path, and <see cref="Apply"/> builds the middleware from it.
/// The built-in stages derive from it, and so can a third party's.
/// </summary>
/// <typeparam name="TOptions">What the stage reads from its section.</typeparam>
public abstract class ChatPipelineStage<TOptions> : IChatPipelineStage
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract int Order { get; }

    /// <inheritdoc/>
    public abstract bool IsEnabled(ChatPipelineContext context);

    /// <summary>
    /// Reads the stage's section (<see cref="ChatPipelineContext.Section"/>) into its options, once per client. Adds each
    /// problem to <paramref name="errors"/> as a message naming its key; throws nothing for a bad value.
    /// </summary>
    /// <param name="context">The client's pipeline context.</param>
    /// <param name="errors">Collects the problems found.</param>
    /// <returns>The options, given back to <see cref="Apply"/> when no problem was found.</returns>
    public abstract TOptions Read(ChatPipelineContext context, List<string> errors);

    /// <summary>Wraps the rest of the pipeline in the stage's middleware, built from the options <see cref="Read"/> returned.</summary>
    /// <param name="innerClient">The rest of the pipeline, towards the provider.</param>
    /// <param name="context">The client's pipeline context.</param>
    /// <param name="options">What <see cref="Read"/> returned for this client.</param>
    /// <returns>The middleware over <paramref name="innerClient"/>, or <paramref name="innerClient"/> itself when the stage has nothing to do.</returns>
    public abstract IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, TOptions options);

    /// <inheritdoc/>
    public virtual IReadOnlyCollection<string> CallOverrideKeys => [];

    /// <inheritdoc/>
    public virtual IReadOnlyCollection<string> CacheKeyCallOverrideKeys => [];

    /// <inheritdoc/>
    object? IChatPipelineStage.Read(ChatPipelineContext context, List<string> errors) => Read(context, errors);

    /// <inheritdoc/>
    IChatClient IChatPipelineStage.Apply(IChatClient innerClient, ChatPipelineContext context, object? options) =>
        Apply(innerClient, context, options is TOptions typed ? typed : throw new ArgumentException($"The options of stage '{Name}' are not a {typeof(TOptions).Name}.", nameof(options)));
}
