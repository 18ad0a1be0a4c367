// Licensed under the MIT License.

using LlmAdapters.Gateway;
using LlmAdapters.Gateway.Anthropic;
using LlmAdapters.Gateway.OpenAI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmAdapters;

/// <summary>Maps the LLM gateway's front doors.</summary>
public static class LlmGatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /v1/chat/completions</c> (OpenAI), <c>POST /v1/messages</c> (Anthropic), <c>GET /v1/models</c> and
    /// <c>GET /v1/spend</c>, each behind the virtual keys of <see cref="Microsoft.Extensions.DependencyInjection.LlmGatewayServiceCollectionExtensions.AddLlmGateway"/>.
    /// </summary>
    /// <param name="endpoints">The endpoints.</param>
    /// <returns>The group of the gateway's endpoints (add conventions to it).</returns>
    public static RouteGroupBuilder MapLlmGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1");
        group.MapPost("/chat/completions", OpenAIChatCompletions.HandleAsync);
        group.MapPost("/messages", AnthropicMessages.HandleAsync);
        group.MapGet("/models", GatewayEndpoints.ModelsAsync);
        group.MapGet("/spend", GatewayEndpoints.SpendAsync);
        return group;
    }
}
