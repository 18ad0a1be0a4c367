// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// Carries a tenant or user key in <see cref="ChatOptions"/>, for the cost ledger and per-tenant budgets, and the caller
/// below it (e.g. the gateway's virtual key), for the cost ledger only.
/// </summary>
public static class ChatOptionsTenantExtensions
{
    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that holds the tenant key (a string).</summary>
    /// <remarks>Adapters do not send unknown additional properties whose name has a dot to providers; the key stays local.</remarks>
    public const string TenantKey = "llmadapters.tenant";

    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that holds the caller (a string) the ledger records.</summary>
    public const string CallerKey = "llmadapters.caller";

    /// <summary>Sets the tenant or user key that costs and budgets are counted under.</summary>
    /// <param name="options">The options.</param>
    /// <param name="tenant">The tenant key, or <see langword="null"/> to remove it.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithTenant(this ChatOptions options, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (tenant is null)
        {
            options.AdditionalProperties?.Remove(TenantKey);
        }
        else
        {
            (options.AdditionalProperties ??= [])[TenantKey] = tenant;
        }

        return options;
    }

    /// <summary>Gets the tenant or user key of a request.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The tenant key, or <see langword="null"/>.</returns>
    public static string? GetTenant(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TenantKey, out var value) == true ? value?.ToString() : null;

    /// <summary>Sets who the call is made for below the tenant (e.g. a gateway's virtual key name), recorded in the cost ledger as <see cref="CostEntry.Caller"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="caller">The caller, or <see langword="null"/> to remove it.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithCaller(this ChatOptions options, string? caller)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (caller is null)
        {
            options.AdditionalProperties?.Remove(CallerKey);
        }
        else
        {
            (options.AdditionalProperties ??= [])[CallerKey] = caller;
        }

        return options;
    }

    /// <summary>Gets the caller of a request (<see cref="WithCaller"/>).</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The caller, or <see langword="null"/>.</returns>
    public static string? GetCaller(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(CallerKey, out var value) == true ? value?.ToString() : null;
}
