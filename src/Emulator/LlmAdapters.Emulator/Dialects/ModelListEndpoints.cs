// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>
/// The providers' cheapest endpoints, which health checks call to learn that a server is reachable and a key valid:
/// <c>GET /v1/models</c> in the OpenAI shape, or in the Anthropic shape when the request carries Anthropic's headers
/// (both providers use that path), and Ollama's <c>GET /api/tags</c> (the pulled models).
/// </summary>
/// <remarks>
/// A key that starts with <c>invalid</c> gets the provider's 401, for tests of a health check that reports a bad key;
/// Anthropic's list also wants a key, as the real API does. The OpenAI list, like the emulator's chat endpoint, takes
/// none (keyless OpenAI-compatible servers answer it too); Ollama takes no key.
/// </remarks>
internal static class ModelListEndpoints
{
    /// <summary>The key prefix the emulator refuses.</summary>
    public const string InvalidKeyPrefix = "invalid";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", context =>
            context.Request.Headers.ContainsKey("anthropic-version") || context.Request.Headers.ContainsKey("x-api-key")
                ? AnthropicAsync(context)
                : OpenAIAsync(context));
        routes.MapGet("/compatible-mode/v1/models", (RequestDelegate)OpenAIAsync);
        routes.MapGet("/{version}/models", (RequestDelegate)GeminiAsync);
        routes.MapGet("/api/tags", context => EmulatorWire.WriteJsonAsync(context, """
            {"models":[
              {"name":"llama3.2:latest","model":"llama3.2:latest","modified_at":"2026-01-01T00:00:00Z","size":2019393189,"digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72","details":{"format":"gguf","family":"llama","parameter_size":"3.2B","quantization_level":"Q4_K_M"}},
              {"name":"qwen3:latest","model":"qwen3:latest","modified_at":"2026-01-01T00:00:00Z","size":5225388164,"digest":"500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41","details":{"format":"gguf","family":"qwen3","parameter_size":"8.2B","quantization_level":"Q4_K_M"}}
            ]}
            """));
    }

    private static async Task OpenAIAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var key = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : string.Empty;
        if (key.StartsWith(InvalidKeyPrefix, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            await EmulatorWire.WriteJsonAsync(context, """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""").ConfigureAwait(false);
            return;
        }

        await EmulatorWire.WriteJsonAsync(context, """
            {"object":"list","data":[
              {"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},
              {"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},
              {"id":"gpt-4.1-mini","object":"model","created":1744318173,"owned_by":"system"},
              {"id":"emulator-1","object":"model","created":1767225600,"owned_by":"emulator"}
            ]}
            """).ConfigureAwait(false);
    }

    // Gemini's list: the key only in x-goog-api-key; a bad key is a 400 whose ErrorInfo reason is API_KEY_INVALID.
    private static async Task GeminiAsync(HttpContext context)
    {
        var key = context.Request.Headers["x-goog-api-key"].ToString();
        if (key.Length == 0)
        {
            context.Response.StatusCode = 403;
            await EmulatorWire.WriteJsonAsync(context, """{"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}""").ConfigureAwait(false);
            return;
        }

        if (key.StartsWith(InvalidKeyPrefix, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 400;
            await EmulatorWire.WriteJsonAsync(context, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}""").ConfigureAwait(false);
            return;
        }

        await EmulatorWire.WriteJsonAsync(context, """
            {"models":[
              {"name":"models/gemini-2.5-flash","version":"001","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens","createCachedContent","batchGenerateContent"]}
            ],"nextPageToken":"Ch5tb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA=="}
            """).ConfigureAwait(false);
    }

    private static async Task AnthropicAsync(HttpContext context)
    {
        var key = context.Request.Headers["x-api-key"].ToString();
        if (key.Length == 0 || key.StartsWith(InvalidKeyPrefix, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            await EmulatorWire.WriteJsonAsync(context, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""").ConfigureAwait(false);
            return;
        }

        await EmulatorWire.WriteJsonAsync(context, """
            {"data":[
              {"type":"model","id":"claude-haiku-4-5","display_name":"Claude Haiku 4.5","created_at":"2025-10-15T00:00:00Z"},
              {"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}
            ],"has_more":false,"first_id":"claude-haiku-4-5","last_id":"claude-sonnet-4-5"}
            """).ConfigureAwait(false);
    }
}
