// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>Carries a tenant or user key in <see cref="ChatOptions"/>, for the cost ledger and per-tenant budgets.</summary>
public static class ChatOptionsTenantExtensions
{
    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that holds the tenant key (a string).</summary>
    /// <remarks>Adapters do not send unknown additional properties whose name has a dot to providers; the key stays local.</remarks>
    public const string TenantKey = "llmadapters.tenant";

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
}
