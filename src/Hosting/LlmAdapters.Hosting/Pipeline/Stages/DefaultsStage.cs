// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// Gives each request the configured defaults it does not set itself: <c>Model</c>, <c>SystemPrompt</c> (as
/// <see cref="ChatOptions.Instructions"/>), <c>Temperature</c> and <c>MaxOutputTokens</c>. Always on.
/// Outermost, it also refuses a per-call override key that no registered stage declares (<see cref="KnownCallOverridesChatClient"/>).
/// </summary>
internal sealed class DefaultsStage : BuilderChatPipelineStage<ChatClientSettings>
{
    public override string Name => "Defaults";

    public override int Order => ChatPipelineOrder.Defaults;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    /// <summary>
    /// Gets the per-call key the adapters read themselves (what to do with another provider's visible reasoning,
    /// <see cref="Native.ProviderState.ForeignReasoningPropertyName"/>): declared by the stage that is always on.
    /// </summary>
    public override IReadOnlyCollection<string> CallOverrideKeys => [Native.ProviderState.ForeignReasoningPropertyName];

    public override ChatClientSettings Read(ChatPipelineContext context, List<string> errors) => context.Settings;

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, ChatClientSettings settings)
    {
        var known = context.Services.GetServices<IChatPipelineStage>().SelectMany(s => s.CallOverrideKeys);
        builder.Use(inner => new KnownCallOverridesChatClient(inner, known));
        builder.Use(inner => new DefaultOptionsChatClient(inner, settings.Model, settings.SystemPrompt, settings.Temperature, settings.MaxOutputTokens));
    }

    /// <summary>
    /// What M.E.AI's <c>ConfigureOptions</c> does with <c>??=</c> defaults, for less per call: the caller's options are
    /// cloned only when a default must fill one of their gaps (never mutated), new options are made only when there is a
    /// default to set, and the inner call's task or stream is passed through without a state machine or iterator of its own.
    /// </summary>
    private sealed class DefaultOptionsChatClient(IChatClient innerClient, string? model, string? instructions, float? temperature, int? maxOutputTokens)
        : DelegatingChatClient(innerClient)
    {
        private readonly bool _any = model is not null || instructions is not null || temperature is not null || maxOutputTokens is not null;

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            base.GetResponseAsync(messages, WithDefaults(options), cancellationToken);

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            base.GetStreamingResponseAsync(messages, WithDefaults(options), cancellationToken);

        private ChatOptions? WithDefaults(ChatOptions? options)
        {
            if (!_any || (options is not null && !Fills(options)))
            {
                return options;
            }

            var result = options?.Clone() ?? new ChatOptions();
            result.ModelId ??= model;
            result.Instructions ??= instructions;
            result.Temperature ??= temperature;
            result.MaxOutputTokens ??= maxOutputTokens;
            return result;
        }

        private bool Fills(ChatOptions options) =>
            (options.ModelId is null && model is not null) ||
            (options.Instructions is null && instructions is not null) ||
            (options.Temperature is null && temperature is not null) ||
            (options.MaxOutputTokens is null && maxOutputTokens is not null);
    }
}
