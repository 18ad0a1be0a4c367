// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>One priced (or unpriceable) call, as recorded in an <see cref="ICostLedger"/>.</summary>
public sealed class CostEntry
{
    /// <summary>Gets when the cost was recorded.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the configured client's name, or <see langword="null"/>.</summary>
    public string? ClientName { get; init; }

    /// <summary>Gets the provider name, or <see langword="null"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model id, or <see langword="null"/>.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the tenant or user key of the request (<see cref="ChatOptionsTenantExtensions.TenantKey"/>), or <see langword="null"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>
    /// Gets who the call was made for, below the tenant (<see cref="ChatOptionsTenantExtensions.CallerKey"/>, e.g. the
    /// gateway's virtual key name), or <see langword="null"/>.
    /// </summary>
    public string? Caller { get; init; }

    /// <summary>Gets the cost, or <see langword="null"/> when it is unknown.</summary>
    public ChatCost? Cost { get; init; }

    /// <summary>Gets the input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens.</summary>
    public long OutputTokens { get; init; }
}
