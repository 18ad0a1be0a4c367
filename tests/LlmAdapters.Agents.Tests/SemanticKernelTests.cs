// Licensed under the MIT License.

using System.Text.RegularExpressions;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace LlmAdapters.Agents.Tests;

/// <summary>
/// Issue 21, item 2: Semantic Kernel 1.82 runs its tool loop (automatic function choice) over a configured client on
/// the emulator: the kernel function runs once and its result reaches the answer, with our function invocation in the pipeline.
/// </summary>
public sealed partial class SemanticKernelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kernel_AutoFunctionChoice_ToolLoopOverTheConfiguredClient_FunctionRunsOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = AgentFrameworkTests.Build(emulator);
        var runs = 0;
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(services.GetRequiredService<IChatClient>());
        var kernel = builder.Build();
        kernel.Plugins.AddFromFunctions("weather", [KernelFunctionFactory.CreateFromMethod((string city) => { Interlocked.Increment(ref runs); return $"sunny, 21 °C in {city}"; }, "get_weather")]);
        var settings = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });

        // The name the kernel gives its function on the wire (plugin and function joined), read off a first request.
        await kernel.InvokePromptAsync("hello", settings, cancellationToken: Ct);
        var name = ToolName().Match(emulator.Requests[0].Body).Groups[1].Value;
        Assert.Contains("get_weather", name, StringComparison.Ordinal);

        var result = await kernel.InvokePromptAsync($"call {name} city=Paris", settings, cancellationToken: Ct);

        Assert.Contains("sunny, 21", result.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, runs);
        Assert.Equal(3, emulator.RequestCount);
    }

    [GeneratedRegex("\"name\":\\s*\"([^\"]*get_weather)\"")]
    private static partial Regex ToolName();
}
