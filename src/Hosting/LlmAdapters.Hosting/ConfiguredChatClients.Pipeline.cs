// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

// Pipeline construction: the inner stacks, the outer stages over them, and the checks of the stages' sections.
public sealed partial class ConfiguredChatClients
{
    /// <summary>
    /// Builds a client's pipeline: the outer stages (up to and including <see cref="ChatPipelineOrder.Fallback"/>) over
    /// its inner stack, from the client's plan. A bad key anywhere fails the whole client.
    /// </summary>
    internal IChatClient BuildPipeline(string name, IServiceProvider services)
    {
        var plan = GetPlan(name).ThrowIfInvalid();
        LogWarnings(name, services);
        var builder = new ChatClientBuilder(new NonDisposingChatClient(GetInnerStack(name, services)));
        foreach (var stage in plan.Stages.Where(s => s.Stage.Order <= ChatPipelineOrder.Fallback))
        {
            builder.Use(inner => stage.Stage.Apply(inner, stage.Context, stage.Options));
        }

        return builder.Build(services);
    }

    /// <summary>
    /// The plan of a client, read once and cached per name: its settings, then each stage's options read from its section
    /// (with every problem found), which validation and both halves of the pipeline share.
    /// </summary>
    private ChatClientPlan GetPlan(string name) =>
        _plans.GetOrAdd(Canonical(name), n => new Lazy<ChatClientPlan>(() => ReadPlan(n))).Value;

    private ChatClientPlan ReadPlan(string name)
    {
        var errors = new List<string>();
        var configuration = _configuration.GetClientConfiguration(name);
        var settings = ResolveSettings(name, configuration, errors, out var factory, out var defaultEndpoint);
        if (settings is null)
        {
            return new ChatClientPlan(configuration, null, factory, [], errors);
        }

        var stages = ReadStages(settings, configuration, factory!, errors);
        return new ChatClientPlan(configuration, settings, factory, stages, [.. errors.Distinct(StringComparer.Ordinal)], defaultEndpoint);
    }

    /// <summary>The inner stack of a client, built once: the stages after <see cref="ChatPipelineOrder.Fallback"/> over the adapter.</summary>
    private IChatClient GetInnerStack(string name, IServiceProvider services) =>
        _innerStacks.GetOrAdd(Canonical(name), n => new Lazy<IChatClient>(() => BuildInnerStack(n, services))).Value;

    private IChatClient BuildInnerStack(string name, IServiceProvider services)
    {
        var plan = GetPlan(name).ThrowIfInvalid();
        var builder = new ChatClientBuilder(CreateAdapter(plan, null));
        foreach (var stage in plan.Stages.Where(s => s.Stage.Order > ChatPipelineOrder.Fallback))
        {
            builder.Use(inner => stage.Stage.Apply(inner, stage.Context, stage.Options));
        }

        return builder.Build(services);
    }

    /// <summary>What another client contributes as a fallback target: its inner stack, sent its own model.</summary>
    private IChatClient GetFallbackClient(string name, IServiceProvider services)
    {
        EnsureKnown(name);
        var settings = GetPlan(name).ThrowIfInvalid().Settings!;
        var inner = new NonDisposingChatClient(GetInnerStack(name, services));
        return settings.Model is { } model ? new ConfigureOptionsChatClient(inner, options => options.ModelId = model) : inner;
    }

    /// <summary>
    /// Reads a client's configuration once, through each stage's own reader: the client's keys, the stage names under
    /// <c>Pipeline</c>, each stage's section into its options (a key no stage read is unknown, with the nearest known one suggested).
    /// </summary>
    /// <returns>The enabled stages, outermost first, each with its context and the options it read.</returns>
    private List<ChatPipelineStagePlan> ReadStages(ChatClientSettings settings, IConfiguration configuration, IChatProviderFactory factory, List<string> errors)
    {
        ValidateClientKeys(settings.Name, configuration, factory, errors);
        ValidateStageNames(settings.Name, configuration, errors);

        var usages = new Dictionary<string, ConfigurationKeyUsage>(StringComparer.OrdinalIgnoreCase);
        var clientSections = new Dictionary<string, ConfigurationKeyUsage>(StringComparer.OrdinalIgnoreCase);
        IConfigurationSection GetClientSection(string key)
        {
            var usage = clientSections.TryGetValue(key, out var shared) ? shared : clientSections[key] = new ConfigurationKeyUsage();
            return new PathedConfigurationSection(configuration.GetSection(key), _configuration.SectionPath(settings.Name, key), usage);
        }

        var enabled = new List<ChatPipelineStagePlan>();
        foreach (var stage in Stages.OrderBy(s => s.Order))
        {
            var usage = usages.TryGetValue(stage.Name, out var shared) ? shared : usages[stage.Name] = new ConfigurationKeyUsage();
            var context = CreatePipelineContext(settings, configuration, stage, factory, usage, GetClientSection);

            // A switched-off stage still reads its section, so that the keys it knows are not taken for typos; its
            // problems are not reported.
            var stageErrors = new List<string>();
            var isEnabled = IsEnabled(stage, context, errors);
            var options = stage.Read(context, stageErrors);
            if (isEnabled)
            {
                errors.AddRange(stageErrors);
                enabled.Add(new ChatPipelineStagePlan(stage, context, options));
            }
        }

        foreach (var (stageName, usage) in usages)
        {
            var section = configuration.GetSection("Pipeline").GetSection(stageName);
            usage.ReportUnknown(section, _configuration.SectionPath(settings.Name, "Pipeline:" + section.Key), errors);
        }

        // A section beside Pipeline that stages read (Pricing), checked the same way.
        foreach (var (key, usage) in clientSections)
        {
            usage.ReportUnknown(configuration.GetSection(key), _configuration.SectionPath(settings.Name, key), errors);
        }

        return enabled;
    }

    /// <summary>A section under <c>Pipeline</c> that no stage reads is a typo (<c>Retyr</c>) that would silently switch nothing on.</summary>
    private void ValidateStageNames(string client, IConfiguration configuration, List<string> errors)
    {
        var known = Stages.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        foreach (var section in configuration.GetSection("Pipeline").GetChildren())
        {
            if (!known.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                var nearest = ConfigurationKeyUsage.Nearest(section.Key, known) is { } n ? $" Did you mean '{n}'?" : string.Empty;
                errors.Add($"{_configuration.SectionPath(client, "Pipeline:" + section.Key)} is not a pipeline stage. Known stages: {string.Join(", ", known)}.{nearest}");
            }
        }
    }

    private static bool IsEnabled(IChatPipelineStage stage, ChatPipelineContext context, List<string> errors) =>
        ConfigurationReader.GetBoolean(context.Section, "Enabled", errors, context.SectionPath) ?? stage.IsEnabled(context);

    private ChatPipelineContext CreatePipelineContext(
        ChatClientSettings settings, IConfiguration configuration, IChatPipelineStage stage, IChatProviderFactory factory, ConfigurationKeyUsage usage,
        Func<string, IConfigurationSection> getClientSection)
    {
        var section = configuration.GetSection("Pipeline").GetSection(stage.Name);
        var path = _configuration.SectionPath(settings.Name, "Pipeline:" + stage.Name);
        var name = settings.Name;
        return new ChatPipelineContext(
            settings, configuration, new PathedConfigurationSection(section, path, usage), _services, apiKey => CreateAdapter(GetPlan(name), apiKey), target => GetFallbackClient(target, _services), getClientSection)
        {
            // A stage whose keys name other clients (Fallback) checks them itself: what is configured, and how each other
            // client is configured (one view per client, the one its own plan reads).
            ClientNames = Names,
            ClientConfigurations = other => _configuration.Contains(other) ? _configuration.GetClientConfiguration(Canonical(other)) : null,
        };
    }

    /// <summary>
    /// Creates a client's adapter from its plan: its settings as planned (with the provider's default endpoint of the moment,
    /// when the client took the default: a provider may learn it only once the host runs, the samples' emulator) and the
    /// view of the configuration the plan read. Nothing is flattened or resolved again.
    /// </summary>
    private IChatClient CreateAdapter(ChatClientPlan plan, string? apiKey)
    {
        var settings = plan.CurrentSettings!;
        var effective = apiKey is null ? settings : settings with { ApiKey = apiKey };
        var httpClient = _services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(settings.Name));
        httpClient.Timeout = Timeout.InfiniteTimeSpan; // The adapter applies NetworkTimeout; the timeout middleware the shorter limits.
        return plan.Factory!.CreateClient(new ChatProviderContext(effective, plan.Configuration, httpClient, _services));
    }
}
