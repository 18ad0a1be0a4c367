// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>A key on cool-down, as shared through an <see cref="IApiKeyCooldownStore"/>: its position, never the key.</summary>
/// <param name="KeyIndex">The key's position, from 0.</param>
/// <param name="Until">When the cool-down ends.</param>
/// <param name="Reason">The kind of failure that caused it.</param>
public sealed record ApiKeyCooldown(int KeyIndex, DateTimeOffset Until, ChatProviderErrorKind Reason);
