// Licensed under the MIT License.

using System.Text.Json.Serialization;

namespace LlmAdapters.Cost;

/// <summary>The shape of the embedded <c>prices.json</c>.</summary>
internal sealed class PriceFileDto
{
    public string? Currency { get; set; }

    public List<PriceRowDto> Models { get; set; } = [];
}

/// <summary>One row of <c>prices.json</c>.</summary>
internal sealed class PriceRowDto
{
    public string Model { get; set; } = "";

    public string? Provider { get; set; }

    public decimal Input { get; set; }

    public decimal Output { get; set; }

    public decimal? CachedInput { get; set; }

    public decimal? CacheWrite { get; set; }

    public decimal? Reasoning { get; set; }

    public decimal? CacheWrite1h { get; set; }

    public string? Tier { get; set; }

    public List<PriceRowDto>? ServiceTiers { get; set; }

    public bool ReasoningAppliesToAllOutput { get; set; }

    public List<PriceTierDto>? Tiers { get; set; }

    public int? MaxOutputTokens { get; set; }

    public string? Source { get; set; }

    public string? EffectiveDate { get; set; }
}

/// <summary>One tier of a row of <c>prices.json</c>.</summary>
internal sealed class PriceTierDto
{
    public long AboveInputTokens { get; set; }

    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    public decimal? CachedInput { get; set; }

    public decimal? CacheWrite { get; set; }

    public decimal? Reasoning { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(PriceFileDto))]
internal sealed partial class PriceCatalogJsonContext : JsonSerializerContext;
