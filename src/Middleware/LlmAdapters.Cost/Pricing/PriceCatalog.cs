// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Cost;

/// <summary>
/// The prices of models in US dollars per million tokens: the table shipped in the library (an embedded
/// <c>prices.json</c>), extended or overridden from configuration (<see cref="WithConfiguration"/>) and from code
/// (<see cref="WithPrices"/>). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A model id is looked up exactly (ignoring case) first, then by the rules of docs/cost.md: without a path prefix
/// (<c>models/gemini-2.5-pro</c>), then without a dated snapshot suffix (<c>claude-sonnet-4-20250514</c> resolves to
/// <c>claude-sonnet-4</c>, <c>gpt-4o-2024-08-06</c> to <c>gpt-4o</c>). A model that does not resolve has no price:
/// its cost is unknown (<see langword="null"/>), never zero.
/// </remarks>
public sealed class PriceCatalog : IModelPriceLookup
{
    private const int MaxResolved = 1024;

    private static readonly Lazy<PriceCatalog> s_default = new(LoadEmbedded);
    private readonly FrozenDictionary<string, ModelPrice> _prices;
    private readonly FrozenDictionary<string, string> _aliases;

    // Model ids resolved by the rules (a dated snapshot, a path prefix, an alias), priced or not: every call of a client
    // asks for the same few ids, and resolving one costs an iterator and a regex replacement. Bounded, since ids come from responses.
    private readonly ConcurrentDictionary<string, ModelPrice?> _resolved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new instance of the <see cref="PriceCatalog"/> class.</summary>
    /// <param name="prices">The prices; a later row for the same model id replaces an earlier one.</param>
    /// <param name="aliases">Extra model ids (for example an Azure deployment name) mapped to a priced model id.</param>
    public PriceCatalog(IEnumerable<ModelPrice> prices, IEnumerable<KeyValuePair<string, string>>? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var map = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var price in prices)
        {
            ArgumentNullException.ThrowIfNull(price);
            map[price.ModelId] = price;
        }

        var aliasMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, target) in aliases ?? [])
        {
            aliasMap[alias] = target;
        }

        _prices = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _aliases = aliasMap.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the policy chosen for models without a price, or <see langword="null"/> when none was chosen (a budget on an unpriced model is then a start-up error).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public UnpricedModelPolicy? UnpricedModels { get; private init; }

    /// <summary>Gets the price of a model the catalog does not know under <see cref="UnpricedModelPolicy.Estimate"/>, or <see langword="null"/>.</summary>
    public ModelPrice? EstimatePrice { get; private init; }

    /// <summary>Gets the catalog shipped in the library (<c>Pricing/prices.json</c>).</summary>
    public static PriceCatalog Default => s_default.Value;

    /// <summary>Gets every price of the catalog.</summary>
    public IReadOnlyCollection<ModelPrice> Prices => _prices.Values;

    /// <summary>Gets the aliases of the catalog.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>Finds the price of a model by the documented rules.</summary>
    /// <param name="modelId">The model id, as requested or as returned by the provider.</param>
    /// <returns>The price, or <see langword="null"/> when the model is unknown.</returns>
    public ModelPrice? GetPrice(string? modelId)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return null;
        }

        // The exact id is the first candidate the rules try (Trim changes nothing when the ends are not white space).
        if (!char.IsWhiteSpace(modelId[0]) && !char.IsWhiteSpace(modelId[^1]) && _prices.TryGetValue(modelId, out var exact))
        {
            return exact;
        }

        if (_resolved.TryGetValue(modelId, out var resolved))
        {
            return resolved;
        }

        resolved = Resolve(modelId);
        if (_resolved.Count < MaxResolved)
        {
            _resolved.TryAdd(modelId, resolved);
        }

        return resolved;
    }

    private ModelPrice? Resolve(string modelId)
    {
        foreach (var candidate in ModelIdResolver.Candidates(modelId))
        {
            if (_prices.TryGetValue(candidate, out var price))
            {
                return price;
            }

            if (_aliases.TryGetValue(candidate, out var target) && _prices.TryGetValue(target, out price))
            {
                return price;
            }
        }

        return null;
    }

    /// <summary>Computes the cost of a usage for a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="usage">The usage.</param>
    /// <returns>The cost, or <see langword="null"/> when the model is unknown or there is no usage.</returns>
    public ChatCost? Calculate(string? modelId, UsageDetails? usage)
    {
        if (usage is null || GetPrice(modelId) is not { } price)
        {
            return null;
        }

        return modelId is null ? price.Calculate(usage) : price.Calculate(usage, modelId, price.ModelId);
    }

    /// <inheritdoc/>
    /// <remarks>The cost of <paramref name="inputTokens"/> uncached input and <paramref name="outputTokens"/> output at the model's price (its tier for that input).</remarks>
    public decimal? EstimateCost(string? modelId, long inputTokens, long outputTokens) =>
        Calculate(modelId, new UsageDetails { InputTokenCount = Math.Max(0, inputTokens), OutputTokenCount = Math.Max(0, outputTokens) })?.Total;
    /// <summary>
    /// Computes the cost of one model call by the one pricing decision the budget, cost accounting and the ledger share
    /// (docs/cost.md): priced by <paramref name="responseModelId"/> when the catalog knows it, else by
    /// <paramref name="requestedModelId"/>, else at <see cref="EstimatePrice"/> under <see cref="UnpricedModelPolicy.Estimate"/>;
    /// at the prices of <paramref name="serviceTier"/> when the catalog has them. <see cref="ChatCost.PricedBy"/> says which.
    /// </summary>
    /// <param name="usage">The usage of the call.</param>
    /// <param name="responseModelId">The model id the response named, if any.</param>
    /// <param name="requestedModelId">The model id the request asked for, if any.</param>
    /// <param name="serviceTier">The service tier the response reported (else the one requested), or <see langword="null"/> for standard.</param>
    /// <returns>The cost, or <see langword="null"/> when there is no usage or no price.</returns>
    public ChatCost? Calculate(UsageDetails? usage, string? responseModelId, string? requestedModelId, string? serviceTier = null) =>
        PricingDecision.Price(this, usage, responseModelId, requestedModelId, serviceTier);

    /// <summary>Returns a catalog with a policy for models it has no price for.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="estimatePrice">The price of an unpriced model under <see cref="UnpricedModelPolicy.Estimate"/>; required with it.</param>
    /// <returns>A new catalog.</returns>
    /// <exception cref="ArgumentException"><see cref="UnpricedModelPolicy.Estimate"/> without a price.</exception>
    public PriceCatalog WithUnpricedModels(UnpricedModelPolicy policy, ModelPrice? estimatePrice = null)
    {
        if (policy == UnpricedModelPolicy.Estimate && estimatePrice is null)
        {
            throw new ArgumentException("UnpricedModels: Estimate needs a price (Estimate:Input and Estimate:Output, USD per million tokens).", nameof(estimatePrice));
        }

        return new PriceCatalog(_prices.Values, _aliases) { UnpricedModels = policy, EstimatePrice = policy == UnpricedModelPolicy.Estimate ? estimatePrice : null };
    }

    /// <summary>Returns a catalog with the given prices added, each replacing any price of the same model id.</summary>
    /// <param name="prices">The prices to add.</param>
    /// <returns>A new catalog.</returns>
    public PriceCatalog WithPrices(IEnumerable<ModelPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return new PriceCatalog(_prices.Values.Concat(prices), _aliases) { UnpricedModels = UnpricedModels, EstimatePrice = EstimatePrice };
    }

    /// <summary>Returns a catalog with the given alias added.</summary>
    /// <param name="alias">The extra model id.</param>
    /// <param name="modelId">The priced model id it stands for.</param>
    /// <returns>A new catalog.</returns>
    public PriceCatalog WithAlias(string alias, string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return new PriceCatalog(_prices.Values, _aliases.Append(new(alias, modelId))) { UnpricedModels = UnpricedModels, EstimatePrice = EstimatePrice };
    }

    /// <summary>
    /// Returns a catalog extended or overridden by a configuration section shaped like <c>AI:Pricing</c>:
    /// <c>Models:{modelId}:Input</c>, <c>:Output</c>, <c>:CachedInput</c>, <c>:CacheWrite</c>, <c>:Reasoning</c>,
    /// <c>:MaxOutputTokens</c>, <c>:Provider</c>, <c>:Source</c>, <c>:EffectiveDate</c>, <c>:Tiers:{n}:AboveInputTokens</c> (with the same
    /// price keys), and <c>Aliases:{alias} = modelId</c>. A model id containing <c>:</c> may be given as <c>Models:{n}:Model</c>.
    /// </summary>
    /// <param name="section">The section (<c>AI:Pricing</c>).</param>
    /// <returns>A new catalog; this one when the section is empty.</returns>
    /// <exception cref="InvalidOperationException">A value is not a valid number, or a new model lacks <c>Input</c> or <c>Output</c>; the message names the key.</exception>
    /// <remarks>A key left out of an existing model keeps its shipped value; tiers given in configuration replace the shipped tiers.</remarks>
    public PriceCatalog WithConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        var catalog = Read(section, errors);
        return errors.Count == 0 ? catalog : throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    }

    /// <summary>Checks a configuration section shaped like <c>AI:Pricing</c> without building a catalog.</summary>
    /// <param name="section">The section.</param>
    /// <returns>The problems found, each naming its key; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        _ = Read(section, errors);
        return errors;
    }

    /// <summary>
    /// Reads a section shaped like <c>AI:Pricing</c> over this catalog, once, adding each problem to <paramref name="errors"/>
    /// with its key path (nothing is thrown for a bad value): the path a configured pipeline's stages read prices by, through
    /// <c>ChatPipelineContext.GetClientSection("Pricing")</c>, so that unknown keys are reported as in a stage's section.
    /// </summary>
    /// <returns>The extended catalog; this one when the section is empty.</returns>
    internal PriceCatalog Read(IConfiguration section, List<string> errors)
    {
        // Model is the model id when the entry's key cannot hold it (a name with ':' or '.').
        string[] entryKeys = ["Model", "Provider", "Input", "Output", "CachedInput", "CacheWrite", "Reasoning", "CacheWrite1h", "ReasoningAppliesToAllOutput", "Tiers", "ServiceTiers", "MaxOutputTokens", "Source", "EffectiveDate"];
        string[] tierKeys = ["AboveInputTokens", "Input", "Output", "CachedInput", "CacheWrite", "Reasoning"];
        var added = new List<ModelPrice>();
        foreach (var child in section.GetSection("Models").GetChildren())
        {
            var modelId = child["Model"] is { Length: > 0 } named ? named : child.Key;
            ReportUnknownKeys(child, entryKeys, errors);
            _prices.TryGetValue(modelId, out var existing);
            var input = ReadDecimal(child, "Input", errors) ?? existing?.InputPerMillion;
            var output = ReadDecimal(child, "Output", errors) ?? existing?.OutputPerMillion;
            if (input is null || output is null)
            {
                errors.Add($"{PathOf(child)}: a model that is not in the shipped catalog needs both Input and Output (USD per million tokens).");
                continue;
            }

            var tiers = existing?.Tiers ?? [];
            if (child.GetSection("Tiers").GetChildren().Any())
            {
                foreach (var tier in child.GetSection("Tiers").GetChildren())
                {
                    ReportUnknownKeys(tier, tierKeys, errors);
                }

                tiers = [.. child.GetSection("Tiers").GetChildren().Select(t => new ModelPriceTier
                {
                    AboveInputTokens = ReadLong(t, "AboveInputTokens", errors) ?? 0,
                    InputPerMillion = ReadDecimal(t, "Input", errors),
                    OutputPerMillion = ReadDecimal(t, "Output", errors),
                    CachedInputPerMillion = ReadDecimal(t, "CachedInput", errors),
                    CacheWritePerMillion = ReadDecimal(t, "CacheWrite", errors),
                    ReasoningPerMillion = ReadDecimal(t, "Reasoning", errors),
                })];
            }

            DateOnly? effective = existing?.EffectiveDate;
            if (child["EffectiveDate"] is { Length: > 0 } date)
            {
                if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    effective = parsed;
                }
                else
                {
                    errors.Add($"{PathOf(child)}:EffectiveDate: '{date}' is not a date (yyyy-MM-dd).");
                }
            }

            added.Add(new ModelPrice
            {
                ModelId = modelId,
                Provider = child["Provider"] ?? existing?.Provider,
                InputPerMillion = input.Value,
                OutputPerMillion = output.Value,
                CachedInputPerMillion = ReadDecimal(child, "CachedInput", errors) ?? existing?.CachedInputPerMillion,
                CacheWritePerMillion = ReadDecimal(child, "CacheWrite", errors) ?? existing?.CacheWritePerMillion,
                ReasoningPerMillion = ReadDecimal(child, "Reasoning", errors) ?? existing?.ReasoningPerMillion,
                CacheWrite1hPerMillion = ReadDecimal(child, "CacheWrite1h", errors) ?? existing?.CacheWrite1hPerMillion,
                ServiceTiers = ReadServiceTiers(child, existing, errors),
                ReasoningAppliesToAllOutput = ReadBool(child, "ReasoningAppliesToAllOutput", errors) ?? existing?.ReasoningAppliesToAllOutput ?? false,
                Tiers = tiers,
                MaxOutputTokens = (int?)ReadLong(child, "MaxOutputTokens", errors) ?? existing?.MaxOutputTokens,
                Source = child["Source"] ?? (existing is null ? "configuration " + PathOf(child) : existing.Source + "; overridden by configuration " + PathOf(child)),
                EffectiveDate = effective,
            });
        }

        var aliases = section.GetSection("Aliases").GetChildren()
            .Where(a => !string.IsNullOrWhiteSpace(a.Value))
            .Select(a => new KeyValuePair<string, string>(a.Key, a.Value!))
            .ToList();
        var catalog = added.Count == 0 && aliases.Count == 0 ? this : new PriceCatalog(_prices.Values.Concat(added), _aliases.Concat(aliases)) { UnpricedModels = UnpricedModels, EstimatePrice = EstimatePrice };
        return ReadUnpricedPolicy(catalog, section, errors);
    }

    // UnpricedModels = Reject | Estimate, with Estimate:Input and Estimate:Output (USD per million tokens) for Estimate.
    private static PriceCatalog ReadUnpricedPolicy(PriceCatalog catalog, IConfiguration section, List<string> errors)
    {
        var value = section["UnpricedModels"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return catalog;
        }

        if (!Enum.TryParse<UnpricedModelPolicy>(value, ignoreCase: true, out var policy) || !Enum.IsDefined(policy))
        {
            errors.Add($"{PathOf(section)}:UnpricedModels is '{value}': use Reject or Estimate.");
            return catalog;
        }

        if (policy == UnpricedModelPolicy.Reject)
        {
            return catalog.WithUnpricedModels(policy);
        }

        var estimate = section.GetSection("Estimate");
        var input = ReadDecimal(estimate, "Input", errors);
        var output = ReadDecimal(estimate, "Output", errors);
        if (input is null || output is null)
        {
            errors.Add($"{PathOf(section)}:UnpricedModels is Estimate: set {PathOf(section)}:Estimate:Input and :Estimate:Output (USD per million tokens), the price an unpriced model is charged at.");
            return catalog;
        }

        return catalog.WithUnpricedModels(policy, new ModelPrice
        {
            ModelId = "(estimate)",
            InputPerMillion = input.Value,
            OutputPerMillion = output.Value,
            Source = "configuration " + PathOf(section) + ":Estimate",
        });
    }

    // ServiceTiers:{tier}:Input, :Output, :CachedInput, :CacheWrite, :Source, :EffectiveDate: a configured tier replaces the shipped row of that tier.
    private static IReadOnlyList<ModelPrice> ReadServiceTiers(IConfigurationSection model, ModelPrice? existing, List<string> errors)
    {
        var rows = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in existing?.ServiceTiers ?? [])
        {
            rows[row.ServiceTier!] = row;
        }

        foreach (var tier in model.GetSection("ServiceTiers").GetChildren())
        {
            var name = ModelPrice.NormalizeServiceTier(tier.Key);
            if (name is null)
            {
                errors.Add($"{tier.Path}: the standard tier's prices are the model's own Input and Output; ServiceTiers lists flex, priority, batch.");
                continue;
            }

            rows.TryGetValue(name, out var shipped);
            var input = ReadDecimal(tier, "Input", errors) ?? shipped?.InputPerMillion;
            var output = ReadDecimal(tier, "Output", errors) ?? shipped?.OutputPerMillion;
            if (input is null || output is null)
            {
                errors.Add($"{tier.Path}: a service tier needs both Input and Output (USD per million tokens).");
                continue;
            }

            rows[name] = new ModelPrice
            {
                ModelId = existing?.ModelId ?? model["Model"] ?? model.Key,
                ServiceTier = name,
                InputPerMillion = input.Value,
                OutputPerMillion = output.Value,
                CachedInputPerMillion = ReadDecimal(tier, "CachedInput", errors) ?? shipped?.CachedInputPerMillion,
                CacheWritePerMillion = ReadDecimal(tier, "CacheWrite", errors) ?? shipped?.CacheWritePerMillion,
                Source = tier["Source"] ?? "configuration " + tier.Path,
                EffectiveDate = shipped?.EffectiveDate,
            };
        }

        return [.. rows.Values];
    }

    // A misspelt key inside a price entry ("Ouptut") would otherwise be ignored, silently (issue 20, N8).
    private static void ReportUnknownKeys(IConfigurationSection entry, string[] known, List<string> errors)
    {
        foreach (var key in entry.GetChildren())
        {
            if (!known.Contains(key.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key.Path} is not a key of a price entry; the keys are {string.Join(", ", known)}.");
            }
        }
    }

    private static decimal? ReadDecimal(IConfiguration section, string key, List<string> errors) =>
        ConfigurationReader.GetDecimal(section, key, "a price (a non-negative number of USD per million tokens, e.g. 2.5)", errors);

    private static long? ReadLong(IConfiguration section, string key, List<string> errors) =>
        ConfigurationReader.GetInt32(section, key, minimum: 0, errors);

    private static bool? ReadBool(IConfiguration section, string key, List<string> errors) =>
        ConfigurationReader.GetBoolean(section, key, errors);

    private static string PathOf(IConfiguration section) => section is IConfigurationSection s ? s.Path : "(configuration)";

    private static PriceCatalog LoadEmbedded()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream("LlmAdapters.Cost.prices.json")
            ?? throw new InvalidOperationException("The embedded price table LlmAdapters.Cost.prices.json is missing.");
        var file = JsonSerializer.Deserialize(stream, PriceCatalogJsonContext.Default.PriceFileDto)
            ?? throw new InvalidOperationException("The embedded price table is empty.");
        return new PriceCatalog(file.Models.Select(ToPrice));
    }

    internal static ModelPrice ToPrice(PriceRowDto row) => ToPrice(row, row.Model, null);

    private static ModelPrice ToPrice(PriceRowDto row, string modelId, string? serviceTier) => new()
    {
        ModelId = modelId,
        ServiceTier = serviceTier,
        CacheWrite1hPerMillion = row.CacheWrite1h,
        ServiceTiers = row.ServiceTiers is null ? [] : [.. row.ServiceTiers.Select(t => ToPrice(t, modelId, ModelPrice.NormalizeServiceTier(t.Tier)))],
        Provider = row.Provider,
        InputPerMillion = row.Input,
        OutputPerMillion = row.Output,
        CachedInputPerMillion = row.CachedInput,
        CacheWritePerMillion = row.CacheWrite,
        ReasoningPerMillion = row.Reasoning,
        ReasoningAppliesToAllOutput = row.ReasoningAppliesToAllOutput,
        MaxOutputTokens = row.MaxOutputTokens,
        Source = row.Source,
        EffectiveDate = row.EffectiveDate is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        Tiers = row.Tiers is null ? [] : [.. row.Tiers.Select(t => new ModelPriceTier
        {
            AboveInputTokens = t.AboveInputTokens,
            InputPerMillion = t.Input,
            OutputPerMillion = t.Output,
            CachedInputPerMillion = t.CachedInput,
            CacheWritePerMillion = t.CacheWrite,
            ReasoningPerMillion = t.Reasoning,
        })],
    };
}
