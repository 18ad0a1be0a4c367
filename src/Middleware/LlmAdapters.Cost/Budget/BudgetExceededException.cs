// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Cost;

/// <summary>
/// Thrown by <see cref="BudgetChatClient"/> before a call whose worst-case cost does not fit a budget: the message names
/// the limit, the amount spent and reserved, the period and when it resets. No request was sent.
/// </summary>
public sealed class BudgetExceededException : InvalidOperationException, IClassifiedChatFailure
{
    /// <summary>Gets <c>BudgetExceeded</c>, the kind a configured pipeline counts the refusal under.</summary>
    string IClassifiedChatFailure.FailureKind => "BudgetExceeded";

    /// <summary>Gets <see cref="Microsoft.Extensions.Logging.LogLevel.Debug"/>: the budget middleware logs its refusal itself.</summary>
    Microsoft.Extensions.Logging.LogLevel IClassifiedChatFailure.LogLevel => Microsoft.Extensions.Logging.LogLevel.Debug;

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    public BudgetExceededException()
        : base("A budget was exceeded.")
    {
        LimitName = "";
        ScopeKey = "";
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    /// <param name="message">The message.</param>
    public BudgetExceededException(string message)
        : base(message)
    {
        LimitName = "";
        ScopeKey = "";
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        LimitName = "";
        ScopeKey = "";
    }

    /// <summary>Initializes a new instance of the <see cref="BudgetExceededException"/> class from a refused reservation.</summary>
    /// <param name="reservation">The refused reservation.</param>
    public BudgetExceededException(BudgetReservation reservation)
        : base(FormatMessage(reservation ?? throw new ArgumentNullException(nameof(reservation))))
    {
        LimitName = reservation.Limit.Name;
        Limit = reservation.Limit.Amount;
        Spent = reservation.Usage.Spent;
        Reserved = reservation.Usage.Reserved;
        Requested = reservation.Amount;
        Period = reservation.Limit.Period;
        Window = reservation.Limit.Window;
        Scope = reservation.Limit.Scope;
        ScopeKey = reservation.ScopeKey;
        ResetsAt = reservation.Usage.ResetsAt;
    }

    /// <summary>Gets the limit's name (the configuration key in configured pipelines, e.g. <c>AI:Pipeline:Budget:Daily</c>).</summary>
    public string LimitName { get; }

    /// <summary>Gets the limit in US dollars.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the amount already spent in the period, in US dollars.</summary>
    public decimal Spent { get; }

    /// <summary>Gets the amount reserved by calls in flight, in US dollars.</summary>
    public decimal Reserved { get; }

    /// <summary>Gets the worst-case cost of the refused call, in US dollars.</summary>
    public decimal Requested { get; }

    /// <summary>Gets the period of the limit.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets the window of a rolling limit, or <see langword="null"/>.</summary>
    public TimeSpan? Window { get; }

    /// <summary>Gets whose spending the limit counts.</summary>
    public BudgetScope Scope { get; }

    /// <summary>Gets the client name or tenant key the limit was applied to.</summary>
    public string ScopeKey { get; }

    /// <summary>Gets when the period resets, or <see langword="null"/> for a rolling window.</summary>
    public DateTimeOffset? ResetsAt { get; }

    private static string FormatMessage(BudgetReservation r)
    {
        var scope = r.Limit.Scope == BudgetScope.Tenant
            ? (r.ScopeKey.Length == 0 ? "requests without a tenant" : $"tenant '{r.ScopeKey}'")
            : $"client '{r.ScopeKey}'";
        var resets = r.Usage.ResetsAt is { } at
            ? " The period resets at " + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "."
            : " Spending older than the window stops counting as it ages.";
        return string.Create(CultureInfo.InvariantCulture,
            $"Budget exceeded: the {r.Limit.PeriodDescription} limit '{r.Limit.Name}' of {ChatCost.FormatUsd(r.Limit.Amount)} for {scope} has {ChatCost.FormatUsd(r.Usage.Spent)} spent and {ChatCost.FormatUsd(r.Usage.Reserved)} reserved; this call needs up to {ChatCost.FormatUsd(r.Amount)}.{resets}");
    }
}
