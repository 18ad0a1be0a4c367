// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>The part of <see cref="ApiKeyRouter"/> that shares cool-downs through an <see cref="IApiKeyCooldownStore"/>.</summary>
internal sealed partial class ApiKeyRouter
{
    protected override async ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        if (_options.CooldownStore is { } store)
        {
            IReadOnlyList<ApiKeyCooldown> shared;
            try
            {
                shared = await store.GetAsync(_options.CooldownScope!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store reports its own failures; this process goes on with the cool-downs it knows.
                shared = [];
            }

            foreach (var cooldown in shared)
            {
                if ((uint)cooldown.KeyIndex < (uint)_slots.Length)
                {
                    _slots[cooldown.KeyIndex].CoolDown(cooldown.Until, cooldown.Reason);
                }
            }
        }

        return await SelectLocalAsync(context).ConfigureAwait(false);
    }

    private void ShareCooldown(ApiKeySlot slot, DateTimeOffset until, ChatProviderErrorKind reason)
    {
        if (_options.CooldownStore is { } store)
        {
            _ = ShareCooldownAsync(store, new ApiKeyCooldown(slot.Index, until, reason));
        }
    }

    // Runs on its own so that the call moves on to the next key at once; a cool-down that is not shared stays local.
    private async Task ShareCooldownAsync(IApiKeyCooldownStore store, ApiKeyCooldown cooldown)
    {
        try
        {
            await store.SetAsync(_options.CooldownScope!, cooldown, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store reports its own failures.
        }
    }
}
