// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>A limit on spending, in US dollars, over a period.</summary>
public sealed class BudgetLimit
{
    /// <summary>Gets the limit's name, shown in messages and used in store keys (configured pipelines use the configuration key, e.g. <c>AI:Pipeline:Budget:Daily</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the most that may be spent in a period, in US dollars.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the period.</summary>
    public required BudgetPeriod Period { get; init; }

    /// <summary>Gets the length of a <see cref="BudgetPeriod.Rolling"/> window.</summary>
    /// <value>The default value is <see langword="null"/>; required for <see cref="BudgetPeriod.Rolling"/>.</value>
    public TimeSpan? Window { get; init; }

    /// <summary>Gets whose spending is counted.</summary>
    /// <value>The default value is <see cref="BudgetScope.Client"/>.</value>
    public BudgetScope Scope { get; init; } = BudgetScope.Client;

    /// <summary>Gets a short description of the period, e.g. <c>daily</c> or <c>rolling 1.00:00:00</c>.</summary>
    public string PeriodDescription => Period switch
    {
        BudgetPeriod.Daily => "daily",
        BudgetPeriod.Monthly => "monthly",
        _ => "rolling " + Window?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Checks the limit.</summary>
    /// <exception cref="ArgumentException">The amount is negative, or a rolling limit has no positive window.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A budget limit needs a name.");
        }

        if (Amount < 0)
        {
            throw new ArgumentException($"{Name}: the amount must not be negative.");
        }

        if (Period == BudgetPeriod.Rolling && (Window is null || Window <= TimeSpan.Zero))
        {
            throw new ArgumentException($"{Name}: a rolling budget needs a positive Window.");
        }
    }
}
