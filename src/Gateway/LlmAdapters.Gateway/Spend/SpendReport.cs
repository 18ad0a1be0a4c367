// Licensed under the MIT License.

#pragma warning disable SA1402 // The report's records, together.

namespace LlmAdapters.Gateway.Spend;

/// <summary>The body of <c>GET /v1/spend</c>.</summary>
internal sealed record SpendReport(string Period, string GroupBy, DateTimeOffset From, DateTimeOffset To, decimal Total, long Calls, List<SpendGroup> Groups, List<SpendPoint> Series);

/// <summary>One group's totals.</summary>
internal sealed record SpendGroup(string Name, decimal Cost, long Calls, long InputTokens, long OutputTokens);

/// <summary>One time bucket: its start, total, calls and cost by group.</summary>
internal sealed record SpendPoint(DateTimeOffset Start, decimal Cost, long Calls, Dictionary<string, decimal> ByGroup);
