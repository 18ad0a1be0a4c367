// Licensed under the MIT License.

namespace LlmAdapters.Gateway.Spend;

/// <summary>One gateway call's spend: when, which key (by name), tenant, client and model, the cost and the tokens.</summary>
internal sealed record GatewaySpendEntry(DateTimeOffset Timestamp, string Key, string Tenant, string Client, string Model, decimal Cost, long InputTokens, long OutputTokens);
