// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>Options of <see cref="CostAccountingChatClient"/>.</summary>
public sealed class CostAccountingChatClientOptions
{
    /// <summary>Gets or sets the price catalog.</summary>
    /// <value>The default value is <see cref="PriceCatalog.Default"/>.</value>
    public PriceCatalog Catalog { get; set; } = PriceCatalog.Default;

    /// <summary>Gets or sets the ledger every call is recorded in, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ICostLedger? Ledger { get; set; }

    /// <summary>Gets or sets the configured client's name, for the ledger and the <c>llmadapters.client</c> tag.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientName { get; set; }

    /// <summary>
    /// Gets the providers that run on the caller's own hardware (by <see cref="Microsoft.Extensions.AI.ChatClientMetadata.ProviderName"/>):
    /// a model the catalog does not price costs 0 there, instead of being unpriced. A configured price still wins.
    /// </summary>
    /// <value>The default value is <c>ollama</c> and <c>ollama-openai</c>.</value>
    public ISet<string> LocalProviders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ollama", "ollama-openai" };

    /// <summary>Gets or sets the estimator of a cancelled stream's tokens (the prompt, and the text received before the provider reported usage).</summary>
    /// <value>The default value is <see cref="ApproximateTokenEstimator.Instance"/> (a character heuristic; LlmAdapters.Cost.Tokenizers brings exact counts for OpenAI models).</value>
    public LlmAdapters.ITokenEstimator TokenEstimator { get; set; } = ApproximateTokenEstimator.Instance;

    /// <summary>Gets or sets the clock of ledger timestamps.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
