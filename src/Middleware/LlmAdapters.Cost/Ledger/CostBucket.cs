// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// The totals of one (client, provider, model, tenant, caller) in one UTC hour, as
/// <see cref="ICostLedger.GetHourlyTotalsAsync"/> returns them.
/// </summary>
public sealed class CostBucket
{
    /// <summary>Gets the start of the UTC hour.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the configured client's name, or <see langword="null"/>.</summary>
    public string? ClientName { get; init; }

    /// <summary>Gets the provider name, or <see langword="null"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model id, or <see langword="null"/>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the tenant, or <see langword="null"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets the caller (<see cref="CostEntry.Caller"/>), or <see langword="null"/>.</summary>
    public string? Caller { get; init; }

    /// <summary>Gets the total cost in US dollars of the priced calls.</summary>
    public decimal Total { get; init; }

    /// <summary>Gets the number of calls recorded, priced or not.</summary>
    public long Calls { get; init; }

    /// <summary>Gets the number of calls whose cost is unknown (they are not in <see cref="Total"/>).</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Gets the input tokens of all calls.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens of all calls.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the start of the UTC hour a moment falls in.</summary>
    /// <param name="timestamp">The moment.</param>
    /// <returns>The hour's start, in UTC.</returns>
    public static DateTimeOffset HourOf(DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }
}
