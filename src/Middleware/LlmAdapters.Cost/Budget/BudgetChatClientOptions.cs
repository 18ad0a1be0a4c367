// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>Options of <see cref="BudgetChatClient"/>.</summary>
public sealed class BudgetChatClientOptions
{
    /// <summary>Gets the limits; a call must fit every one.</summary>
    public IList<BudgetLimit> Limits { get; } = [];

    /// <summary>Gets or sets the store of spent and reserved amounts.</summary>
    /// <value>The default value is <see langword="null"/>: a new <see cref="InMemoryBudgetStore"/> for this client.</value>
    public IBudgetStore? Store { get; set; }

    /// <summary>Gets or sets the price catalog.</summary>
    /// <value>The default value is <see cref="PriceCatalog.Default"/>.</value>
    public PriceCatalog Catalog { get; set; } = PriceCatalog.Default;

    /// <summary>Gets or sets the estimator of input tokens (a reservation's, and a cancelled stream's with the text received).</summary>
    /// <value>The default value is <see cref="ApproximateTokenEstimator.Instance"/> (a character heuristic; LlmAdapters.Cost.Tokenizers brings exact counts for OpenAI models).</value>
    public LlmAdapters.ITokenEstimator TokenEstimator { get; set; } = ApproximateTokenEstimator.Instance;

    /// <summary>Gets or sets the configured client's name: the scope key of <see cref="BudgetScope.Client"/> limits.</summary>
    /// <value>The default value is <c>default</c>.</value>
    public string ClientName { get; set; } = "default";

    /// <summary>Gets or sets the output tokens assumed when neither the request's <c>MaxOutputTokens</c> nor the catalog's <see cref="ModelPrice.MaxOutputTokens"/> is known.</summary>
    /// <value>The default value is 4096.</value>
    public int DefaultMaxOutputTokens { get; set; } = 4096;

    /// <summary>
    /// Gets or sets a value indicating whether rejecting calls to models without a price was chosen explicitly (as
    /// <c>AI:Pricing:UnpricedModels = Reject</c>): a configured pipeline then starts although the client's model has no price.
    /// A call to an unpriced model is rejected either way, unless the catalog prices it (<see cref="UnpricedModelPolicy.Estimate"/>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RejectUnpricedModels { get; set; }

    /// <summary>
    /// Gets or sets the run budget a configured pipeline gives every call that brings none
    /// (<see cref="ChatOptionsRunBudgetExtensions.WithRunBudget"/>): the limits of one call's whole tool loop, enforced by
    /// function invocation (<c>AI:Pipeline:Budget:Run</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no run limit.</value>
    public RunBudget? Run { get; set; }
}
