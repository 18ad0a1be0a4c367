// Licensed under the MIT License.

using LlmAdapters.Emulator;

namespace LlmAdapters.Samples.Tests;

/// <summary>
/// Issue 21: every built-in provider's default model is priced, so the CLI prints a cost (never "unknown") for each
/// preset's default model, run as a user would with only the provider, a key and the endpoint (the emulator) set.
/// </summary>
public sealed class ChatCliPresetCostTests
{
    [Theory]
    [InlineData("openai", "gpt-4o-mini")]
    [InlineData("dashscope", "qwen-plus")]
    [InlineData("groq", "llama-3.3-70b-versatile")]
    [InlineData("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("deepseek", "deepseek-chat")]
    [InlineData("anthropic", "claude-haiku-4-5")]
    [InlineData("gemini", "gemini-2.5-flash")]
    [InlineData("dashscope-native", "qwen-plus")]
    public async Task Prompt_EveryPresetsDefaultModel_PrintsACost(string provider, string defaultModel)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var endpoint = provider switch
        {
            "anthropic" => emulator.AnthropicEndpoint,
            "gemini" => emulator.GeminiEndpoint,
            "dashscope-native" => emulator.DashScopeEndpoint,
            _ => emulator.OpenAIEndpoint,
        };
        await using var cli = CliProcess.Start(
            new() { ["AI__Provider"] = provider, ["AI__ApiKey"] = "sk-test-preset-000000000000", ["AI__Endpoint"] = endpoint.ToString() },
            "Hello");

        var (exit, output, error) = await cli.FinishAsync();

        Assert.True(exit == 0, error);
        Assert.Contains("[model " + defaultModel, output, StringComparison.Ordinal);
        Assert.Matches(@"· cost \$\d+\.\d+ ·", output);
        Assert.DoesNotContain("unknown", output, StringComparison.Ordinal);
    }
}
