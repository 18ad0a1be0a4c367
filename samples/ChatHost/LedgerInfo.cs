// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The body of <c>GET /cost</c>: the ledger's total; <see cref="Shared"/> when it is the one on Redis, every replica's.</summary>
internal sealed record LedgerInfo(decimal Total, string Formatted, long Calls, bool Shared);
