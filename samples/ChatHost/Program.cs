// Licensed under the MIT License.

using Microsoft.Extensions.Options;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The chat host: <c>dotnet run --project samples/ChatHost</c>, then open the printed address. With no provider
/// configured it answers from the built-in emulator (it says so in one line); with <c>AI__Provider</c> and its key it
/// talks to the real provider.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = ChatHostApp.Build(args);
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            // ValidateOnStart: a bad AI section stops the start with the library's messages, each naming its key.
            await Console.Error.WriteLineAsync("The configuration is not valid:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", ex.Failures.Distinct()));
            return 1;
        }
    }
}
