// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="FallbackChatClient"/>.</summary>
public sealed class FallbackChatClientOptions
{
    /// <summary>The configuration key of the ordered list of named clients to fall back to.</summary>
    internal const string ClientsKey = "Clients";

    /// <summary>The configuration key of the ordered list of models of the same provider to fall back to.</summary>
    internal const string ModelsKey = "Models";

    /// <summary>The configuration key of <see cref="FailOverOn"/>.</summary>
    internal const string OnKey = "On";

    /// <summary>The configuration key of <see cref="FailureThreshold"/>.</summary>
    internal const string FailureThresholdKey = "FailureThreshold";

    /// <summary>The configuration key of <see cref="SamplingWindow"/>.</summary>
    internal const string SamplingWindowKey = "SamplingWindow";

    /// <summary>The configuration key of <see cref="BreakDuration"/>.</summary>
    internal const string BreakDurationKey = "BreakDuration";

    /// <summary>The configuration key of <see cref="FallbackByKind"/>: a list of client names under each error kind.</summary>
    internal const string ByKindKey = "ByKind";

    /// <summary>The configuration key of <see cref="Strategy"/>.</summary>
    internal const string StrategyKey = "Strategy";

    /// <summary>The configuration key of <see cref="Weights"/>: a number under each target name.</summary>
    internal const string WeightsKey = "Weights";

    /// <summary>The configuration key of <see cref="Affinity"/>.</summary>
    internal const string AffinityKey = "Affinity";

    /// <summary>The configuration key of <see cref="AffinityDuration"/>.</summary>
    internal const string AffinityDurationKey = "AffinityDuration";

    /// <summary>The weight of a new sample in the moving average of time to first token.</summary>
    internal const double LatencySmoothing = 0.3;

    /// <summary>The output tokens a call is priced for by <see cref="ChatRoutingStrategy.LowestCost"/> when it sets no <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/>.</summary>
    internal const int DefaultEstimatedOutputTokens = 1000;

    /// <summary>Gets or sets the error kinds that move on to the next client. Network errors count as <see cref="ChatProviderErrorKind.Unavailable"/>.</summary>
    /// <value>The default value is <see cref="ChatProviderErrorKind.RateLimited"/>, <see cref="ChatProviderErrorKind.Overloaded"/>,
    /// <see cref="ChatProviderErrorKind.Timeout"/>, <see cref="ChatProviderErrorKind.Unavailable"/> and <see cref="ChatProviderErrorKind.ModelNotFound"/>;
    /// never <see cref="ChatProviderErrorKind.InvalidRequest"/> or <see cref="ChatProviderErrorKind.ContentFiltered"/> unless added here.</value>
    public ISet<ChatProviderErrorKind> FailOverOn { get; set; } = new HashSet<ChatProviderErrorKind>
    {
        ChatProviderErrorKind.RateLimited,
        ChatProviderErrorKind.Overloaded,
        ChatProviderErrorKind.Timeout,
        ChatProviderErrorKind.Unavailable,
        ChatProviderErrorKind.ModelNotFound,
    };

    /// <summary>Gets or sets the name of the primary client, reported when it serves a response.</summary>
    /// <value>The default value is <c>primary</c>; a configured pipeline sets the client's name.</value>
    public string PrimaryName { get; set; } = "primary";

    /// <summary>Gets or sets how many fail-over failures within <see cref="SamplingWindow"/> take a client out of the order.</summary>
    /// <value>The default value is 5.</value>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>Gets or sets the window in which failures are counted.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a client stays out of the order; after it, one failure takes it out again.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the clock of the circuit breakers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets typed fallbacks: for an error kind, the clients (by name) to go to when a call fails with it, in order,
    /// instead of the rest of the call's order; e.g. <see cref="ChatProviderErrorKind.ContextLengthExceeded"/> to a client
    /// with a larger context window, <see cref="ChatProviderErrorKind.ContentFiltered"/> to another provider. A kind listed
    /// here falls back even when it is not in <see cref="FailOverOn"/>; it opens no circuit unless it is in it too.
    /// A target already tried in the call is not tried again.
    /// </summary>
    /// <value>The default value is empty: every kind in <see cref="FailOverOn"/> moves on to the next target of the order.</value>
    public IDictionary<ChatProviderErrorKind, IList<string>> FallbackByKind { get; set; } = new Dictionary<ChatProviderErrorKind, IList<string>>();

    /// <summary>Gets or sets how the targets are ordered for each call.</summary>
    /// <value>The default value is <see cref="ChatRoutingStrategy.Ordered"/>.</value>
    public ChatRoutingStrategy Strategy { get; set; } = ChatRoutingStrategy.Ordered;

    /// <summary>Gets or sets the weight of each target (by name; the primary by <see cref="PrimaryName"/>) for <see cref="ChatRoutingStrategy.Weighted"/>.</summary>
    /// <value>The default value is empty: every target weighs 1. A weight of 0 makes a target a fallback only.</value>
    public IDictionary<string, double> Weights { get; set; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether a conversation stays on the target that served it before.</summary>
    /// <value>The default value is <see cref="ChatRoutingAffinity.None"/>.</value>
    public ChatRoutingAffinity Affinity { get; set; } = ChatRoutingAffinity.None;

    /// <summary>Gets or sets how long a conversation's target is remembered after its last turn.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan AffinityDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets where the targets' cool-downs, latencies and conversations are shared with other processes.</summary>
    /// <value>The default value is <see langword="null"/>: kept in this process. A configured host sets it when <c>AI:Redis</c> is configured.</value>
    public IChatRoutingStore? Store { get; set; }

    /// <summary>Gets or sets the scope of the targets' names in <see cref="Store"/>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="PrimaryName"/>.</value>
    public string? StoreScope { get; set; }

    /// <summary>Gets or sets the prices that <see cref="ChatRoutingStrategy.LowestCost"/> compares (LlmAdapters.Cost's <c>PriceCatalog</c>).</summary>
    /// <value>The default value is <see langword="null"/>; <see cref="ChatRoutingStrategy.LowestCost"/> requires one.</value>
    public IModelPriceLookup? PriceLookup { get; set; }

    /// <summary>Gets or sets how <see cref="ChatRoutingStrategy.LowestCost"/> estimates a call's input tokens.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="ApproximateTokenEstimator"/>.</value>
    public ITokenEstimator? TokenEstimator { get; set; }

    /// <summary>Gets or sets the random source of <see cref="ChatRoutingStrategy.Weighted"/> (tests pass a seeded one).</summary>
    internal Random Random { get; set; } = Random.Shared;

    /// <summary>Gets or sets the clients reached only through <see cref="FallbackByKind"/>, as a configured pipeline read them.</summary>
    internal IReadOnlyList<string> KindOnlyClients { get; set; } = [];

    /// <summary>Gets or sets the other models to fall back to, in order, as a configured pipeline read them (<c>Models</c>).</summary>
    internal IReadOnlyList<string> Models { get; set; } = [];

    /// <summary>Gets or sets the named clients to fall back to, in order, as a configured pipeline read them (<c>Clients</c>).</summary>
    internal IReadOnlyList<string> Clients { get; set; } = [];

    /// <summary>Reads the options from a section: <c>On</c>, <c>FailureThreshold</c>, <c>SamplingWindow</c>, <c>BreakDuration</c>.</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Fallback</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid and <paramref name="errors"/> is null; the message names the key.</exception>
    internal void Read(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        FailOverOn = ConfigurationReader.GetKinds(section, OnKey, errors: errors) ?? FailOverOn;
        FailureThreshold = ConfigurationReader.GetInt32(section, FailureThresholdKey, errors: errors) ?? FailureThreshold;
        SamplingWindow = ConfigurationReader.GetDuration(section, SamplingWindowKey, errors: errors) ?? SamplingWindow;
        BreakDuration = ConfigurationReader.GetDuration(section, BreakDurationKey, errors: errors) ?? BreakDuration;
        Strategy = ConfigurationReader.GetEnum<ChatRoutingStrategy>(section, StrategyKey, errors) ?? Strategy;
        Affinity = ConfigurationReader.GetEnum<ChatRoutingAffinity>(section, AffinityKey, errors) ?? Affinity;
        AffinityDuration = ConfigurationReader.GetDuration(section, AffinityDurationKey, errors: errors) ?? AffinityDuration;

        var weights = section.GetSection(WeightsKey);
        if (weights.GetChildren().Any())
        {
            Weights = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
            foreach (var child in weights.GetChildren())
            {
                if (ConfigurationReader.GetDouble(weights, child.Key, 0, 1_000_000, errors) is { } weight)
                {
                    Weights[child.Key] = weight;
                }
            }

            if (Weights.Count > 0 && Weights.Values.All(w => w == 0))
            {
                ConfigurationReader.Report($"{ConfigurationReader.PathOf(section, WeightsKey)} gives every target a weight of 0: at least one must weigh more.", errors);
            }
        }

        var byKind = section.GetSection(ByKindKey);
        if (byKind.GetChildren().Any())
        {
            FallbackByKind = new Dictionary<ChatProviderErrorKind, IList<string>>();
            foreach (var child in byKind.GetChildren())
            {
                var path = ConfigurationReader.PathOf(byKind, child.Key);
                if (!Enum.TryParse<ChatProviderErrorKind>(child.Key, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) ||
                    int.TryParse(child.Key, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    ConfigurationReader.Report($"{path} is not an error kind. Known kinds: {string.Join(", ", Enum.GetNames<ChatProviderErrorKind>())}.", errors);
                    continue;
                }

                var names = ConfigurationReader.GetList(byKind, child.Key);
                if (names.Count == 0)
                {
                    ConfigurationReader.Report($"{path} lists no client: name the clients to fall back to on {kind}.", errors);
                    continue;
                }

                FallbackByKind[kind] = [.. names];
            }
        }
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(FailOverOn);
        ArgumentException.ThrowIfNullOrWhiteSpace(PrimaryName);
        ArgumentOutOfRangeException.ThrowIfLessThan(FailureThreshold, 1, nameof(FailureThreshold));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SamplingWindow, TimeSpan.Zero, nameof(SamplingWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BreakDuration, TimeSpan.Zero, nameof(BreakDuration));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(FallbackByKind);
        ArgumentNullException.ThrowIfNull(Weights);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AffinityDuration, TimeSpan.Zero, nameof(AffinityDuration));
        if (!Enum.IsDefined(Strategy))
        {
            throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, "Not a routing strategy.");
        }

        if (!Enum.IsDefined(Affinity))
        {
            throw new ArgumentOutOfRangeException(nameof(Affinity), Affinity, "Not a routing affinity.");
        }

        foreach (var (name, weight) in Weights)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Weights), weight, $"The weight of '{name}' is not a finite number of at least 0.");
            }
        }

        foreach (var (kind, names) in FallbackByKind)
        {
            if (names is null || names.Count == 0 || names.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"FallbackByKind[{kind}] lists no client or an empty name.", nameof(FallbackByKind));
            }
        }

        if (Strategy == ChatRoutingStrategy.LowestCost && PriceLookup is null)
        {
            throw new ArgumentException("The LowestCost strategy needs a PriceLookup (LlmAdapters.Cost's PriceCatalog).", nameof(PriceLookup));
        }
    }
}
