// Licensed under the MIT License.

using Microsoft.Extensions.Options;

namespace LlmAdapters.Samples.Gateway;

/// <summary>
/// The gateway: <c>dotnet run --project samples/Gateway</c>, then point any OpenAI or Anthropic client at
/// <c>http://localhost:5190/v1</c> with the key <c>sk-gateway-demo</c>. With no provider configured it answers from the
/// built-in emulator; with <c>AI__Provider</c> and its key it serves the real provider.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = GatewayApp.Build(args);
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("The configuration is not valid:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", ex.Failures.Distinct()));
            return 1;
        }
    }
}
