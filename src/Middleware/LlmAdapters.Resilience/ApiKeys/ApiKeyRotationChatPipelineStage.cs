// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// API key rotation (<c>UseApiKeyRotation</c>), next to the provider: one adapter per key of <c>Pipeline:ApiKeys</c>, on when
/// two or more keys are given (numbered children of the section, or one comma-separated value). Keys beside the list: <c>Strategy</c> (RoundRobin or LeastInFlight; RoundRobin),
/// <c>Cooldown</c> (60s, or the Retry-After), <c>AuthenticationCooldown</c> (15m).
/// </summary>
public sealed class ApiKeyRotationChatPipelineStage : IChatPipelineStage
{
    /// <inheritdoc/>
    public string Name => "ApiKeys";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.ApiKeys;

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context) => Keys(context).Count >= 2;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        new ApiKeyRotationChatClientOptions().Read(context.Section, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseApiKeyRotation(context.Section, apiKey => context.CreateProviderClient(apiKey), Keys(context)));

    private static IReadOnlyList<string> Keys(ChatPipelineContext context) => ConfigurationReader.GetList(context.Configuration, "Pipeline:" + context.Section.Key);
}
