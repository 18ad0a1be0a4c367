// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// API key rotation (<c>UseApiKeyRotation</c>), next to the provider: one adapter per key of <c>Pipeline:ApiKeys</c>, on when
/// two or more keys are given (numbered children of the section, or one comma-separated value). Keys beside the list: <c>Strategy</c> (RoundRobin or LeastInFlight; RoundRobin),
/// <c>Cooldown</c> (60s, or the Retry-After), <c>AuthenticationCooldown</c> (15m).
/// </summary>
internal sealed class ApiKeysStage : BuilderChatPipelineStage
{
    public override string Name => "ApiKeys";

    public override int Order => ChatPipelineOrder.ApiKeys;

    public override bool IsEnabled(ChatPipelineContext context) => Keys(context).Count >= 2;

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        try
        {
            new ApiKeyRotationChatClientOptions().Bind(context.Section);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) =>
        builder.UseApiKeyRotation(context.Section, apiKey => context.CreateProviderClient(apiKey), Keys(context));

    private static IReadOnlyList<string> Keys(ChatPipelineContext context) => ConfigurationValues.GetList(context.Configuration, "Pipeline:" + context.Section.Key);
}
