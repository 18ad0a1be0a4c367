// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>
/// Fallback along other models of the client (<c>Fallback:Models</c>) and then other named clients (<c>Fallback:Clients</c>,
/// resolved as keyed <see cref="IChatClient"/> services), on when either lists something. Keys: <c>On</c> (RateLimited,
/// Overloaded, Timeout, Unavailable, ModelNotFound), <c>FailureThreshold</c> (5), <c>SamplingWindow</c> (30s), <c>BreakDuration</c> (30s).
/// </summary>
public sealed class FallbackChatPipelineStage : ChatPipelineStage<FallbackChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "Fallback";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.Fallback;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsFallbackExtensions.ClientsKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) =>
        context.Section.GetSection(FallbackChatClientOptions.ClientsKey).Exists() ||
        context.Section.GetSection(FallbackChatClientOptions.ModelsKey).Exists();

    /// <inheritdoc/>
    public override FallbackChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new FallbackChatClientOptions
        {
            TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
            PrimaryName = context.ClientName,
        };
        options.Read(context.Section, errors);

        var clientsPath = context.SectionPath + ":" + FallbackChatClientOptions.ClientsKey;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in context.Section.GetSection(FallbackChatClientOptions.ClientsKey).GetChildren())
        {
            var name = child.Value?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{clientsPath}:{child.Key} is empty: name a configured client.");
            }
            else if (string.Equals(name, context.ClientName, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{clientsPath}:{child.Key} names '{name}', the client itself: a client cannot fall back to itself.");
            }
            else if (!seen.Add(name))
            {
                errors.Add($"{clientsPath}:{child.Key} names '{name}' a second time.");
            }
        }

        foreach (var child in context.Section.GetSection(FallbackChatClientOptions.ModelsKey).GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
            {
                errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.ModelsKey}:{child.Key} is empty: name a model.");
            }
        }

        options.Clients = ConfigurationReader.GetList(context.Section, FallbackChatClientOptions.ClientsKey);
        options.Models = ConfigurationReader.GetList(context.Section, FallbackChatClientOptions.ModelsKey);
        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, FallbackChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseFallback(options, context.GetFallbackClient));
}
