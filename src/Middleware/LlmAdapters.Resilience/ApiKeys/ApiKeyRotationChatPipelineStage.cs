// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// API key rotation (<c>UseApiKeyRotation</c>), next to the provider: one adapter per key of <c>Pipeline:ApiKeys</c>, on when
/// two or more keys are given (numbered children of the section, or one comma-separated value). Keys beside the list: <c>Strategy</c> (RoundRobin or LeastInFlight; RoundRobin),
/// <c>Cooldown</c> (60s, or the Retry-After), <c>AuthenticationCooldown</c> (15m).
/// </summary>
public sealed class ApiKeyRotationChatPipelineStage : ChatPipelineStage<ApiKeyRotationChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "ApiKeys";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.ApiKeys;

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) => Keys(context).Count >= 2;

    /// <inheritdoc/>
    public override ApiKeyRotationChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new ApiKeyRotationChatClientOptions();
        options.Read(context.Section, errors);

        // Every rotation key, each with its own path: a CR/LF in Pipeline:ApiKeys:1 would otherwise pass start-up and fail
        // at the first call that rotates to it (issue 20, N9). The first is the host's to check when it is the client's key.
        var keys = Keys(context);
        for (var i = string.Equals(context.Settings.ApiKey, keys.Count > 0 ? keys[0] : null, StringComparison.Ordinal) ? 1 : 0; i < keys.Count; i++)
        {
            if (ApiKeyRules.GetProblem(keys[i]) is { } problem)
            {
                errors.Add($"The API key in {context.SectionPath}:{i.ToString(System.Globalization.CultureInfo.InvariantCulture)} {problem}. The key is not shown.");
            }
        }

        // With a shared store registered (AI:Redis), a key cooled down by one process is skipped by every process.
        if (context.Services.GetService(typeof(IApiKeyCooldownStore)) is IApiKeyCooldownStore store)
        {
            options.CooldownStore = store;
            options.CooldownScope ??= context.ClientName;
        }

        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, ApiKeyRotationChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseApiKeyRotation(Keys(context), apiKey => context.CreateProviderClient(apiKey), o =>
        {
            // The builder's options carry the services' clock; the values come from the read.
            o.Strategy = options.Strategy;
            o.Cooldown = options.Cooldown;
            o.AuthenticationCooldown = options.AuthenticationCooldown;
            o.CooldownStore = options.CooldownStore;
            o.CooldownScope = options.CooldownScope;
        }));

    private static IReadOnlyList<string> Keys(ChatPipelineContext context) => ConfigurationReader.GetList(context.Configuration, "Pipeline:" + context.Section.Key);
}
