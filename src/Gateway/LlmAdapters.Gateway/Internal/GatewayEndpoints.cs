// Licensed under the MIT License.

using LlmAdapters.Gateway.Anthropic;
using LlmAdapters.Gateway.OpenAI;
using LlmAdapters.Gateway.Spend;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Gateway;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/spend</c>: the two read-only doors.</summary>
internal static class GatewayEndpoints
{
    private static readonly DateTimeOffset s_epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The models (clients and aliases) the caller's key may use, in the shape both SDKs read.</summary>
    public static async Task ModelsAsync(HttpContext context)
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        var anthropic = context.Request.Headers.ContainsKey("anthropic-version");
        if (gateway.Authenticate(context, out var key) is { } unauthorized)
        {
            await (anthropic ? AnthropicMessages.WriteErrorAsync(context, unauthorized) : OpenAIWire.WriteErrorAsync(context, unauthorized)).ConfigureAwait(false);
            return;
        }

        var models = gateway.Clients.ModelsFor(key!)
            .Select(name => new OaiModel
            {
                Id = name,
                Created = s_epoch.ToUnixTimeSeconds(),
                OwnedBy = gateway.Clients.Resolve(name) is { } client ? gateway.Clients.ProviderOf(client) : "gateway",
                DisplayName = name,
                CreatedAt = "2025-01-01T00:00:00Z",
            })
            .ToList();
        var body = new OaiModelList { Data = models, FirstId = models.FirstOrDefault()?.Id, LastId = models.LastOrDefault()?.Id };
        await GatewayCall.WriteJsonAsync(context, body, GatewayJsonContext.Default.OaiModelList).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /v1/spend?period=day|week|month&amp;group_by=key|tenant|client|model</c>: the key's own spend, or everyone's
    /// for a key with <c>Admin: true</c>, from the cost ledger the pipeline writes (shared by every replica with <c>AI:Redis</c>).
    /// </summary>
    public static async Task SpendAsync(HttpContext context)
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        if (gateway.Authenticate(context, out var key) is { } unauthorized)
        {
            await OpenAIWire.WriteErrorAsync(context, unauthorized).ConfigureAwait(false);
            return;
        }

        var period = context.Request.Query["period"].ToString() is { Length: > 0 } p ? p : "day";
        var groupBy = context.Request.Query["group_by"].ToString() is { Length: > 0 } g ? g : "key";
        if (period is not ("day" or "week" or "month") || groupBy is not ("key" or "tenant" or "client" or "model"))
        {
            await OpenAIWire.WriteErrorAsync(context, GatewayError.BadRequest("Use period=day|week|month and group_by=key|tenant|client|model.")).ConfigureAwait(false);
            return;
        }

        if (gateway.Ledger is not { } ledger)
        {
            await OpenAIWire.WriteErrorAsync(context, new GatewayError(501, "server_error", "no_ledger", "api_error", "This gateway keeps no cost ledger: enable the pipeline's cost accounting (LlmAdapters.Cost).")).ConfigureAwait(false);
            return;
        }

        var admin = string.Equals(key!.Section["Admin"], "true", StringComparison.OrdinalIgnoreCase);
        SpendReport report;
        try
        {
            report = await GatewaySpend.ReportAsync(ledger, gateway.Time.GetUtcNow(), period, groupBy, admin ? null : key.Name, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The shared ledger is unreachable (its message names AI:Redis:Configuration; the log of the outage has the rest).
            await OpenAIWire.WriteErrorAsync(context, new GatewayError(503, "server_error", "ledger_unavailable", "overloaded_error", "The shared cost ledger is unreachable; try again later.")).ConfigureAwait(false);
            return;
        }

        await GatewayCall.WriteJsonAsync(context, report, GatewayJsonContext.Default.SpendReport).ConfigureAwait(false);
    }
}
