// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// Gives each request the configured defaults it does not set itself: <c>Model</c>, <c>SystemPrompt</c> (as
/// <see cref="ChatOptions.Instructions"/>), <c>Temperature</c> and <c>MaxOutputTokens</c>. Always on; built on M.E.AI's <c>ConfigureOptions</c>.
/// Outermost, it also refuses a per-call override key that no registered stage declares (<see cref="KnownCallOverridesChatClient"/>).
/// </summary>
internal sealed class DefaultsStage : BuilderChatPipelineStage<ChatClientSettings>
{
    public override string Name => "Defaults";

    public override int Order => ChatPipelineOrder.Defaults;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override ChatClientSettings Read(ChatPipelineContext context, List<string> errors) => context.Settings;

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, ChatClientSettings settings)
    {
        var known = context.Services.GetServices<IChatPipelineStage>().SelectMany(s => s.CallOverrideKeys);
        builder.Use(inner => new KnownCallOverridesChatClient(inner, known));
        builder.ConfigureOptions(options =>
        {
            options.ModelId ??= settings.Model;
            options.Instructions ??= settings.SystemPrompt;
            options.Temperature ??= settings.Temperature;
            options.MaxOutputTokens ??= settings.MaxOutputTokens;
        });
    }
}
