// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// Where each stage of a configured pipeline stands, outermost first. docs/middleware.md explains the order.
/// </summary>
public static class ChatPipelineOrder
{
    /// <summary>Defaults from configuration (model, system prompt, temperature, output tokens): outermost, so every stage sees the request that is sent.</summary>
    public const int Defaults = 50;

    /// <summary>Logging of every call as the application made it.</summary>
    public const int Logging = 100;


    /// <summary>Response caching: a hit costs nothing and spends no budget.</summary>
    public const int Cache = 300;

    /// <summary>Budgets: reserve the worst case before the call.</summary>
    public const int Budget = 400;

    /// <summary>Cost accounting: outside function invocation, it counts a whole tool loop.</summary>
    public const int CostAccounting = 500;

    /// <summary>M.E.AI's function invocation (tool loop).</summary>
    public const int FunctionInvocation = 600;

    /// <summary>
    /// M.E.AI's OpenTelemetry <c>gen_ai</c> spans and metrics, inside function invocation as M.E.AI recommends: each model
    /// call of a tool loop gets its <c>chat</c> span with its own usage, beside the <c>execute_tool</c> spans.
    /// </summary>
    public const int OpenTelemetry = 650;

    /// <summary>Total timeout, across attempts and fallbacks.</summary>
    public const int TotalTimeout = 700;

    /// <summary>Fallback across named clients.</summary>
    public const int Fallback = 800;

    /// <summary>Retry with backoff.</summary>
    public const int Retry = 900;

    /// <summary>Per-attempt and first-update timeouts.</summary>
    public const int AttemptTimeout = 1000;

    /// <summary>Rate, token and concurrency limits: each attempt waits its turn.</summary>
    public const int RateLimiting = 1100;

    /// <summary>API key rotation, next to the provider.</summary>
    public const int ApiKeys = 1200;
}
