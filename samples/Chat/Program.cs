// Licensed under the MIT License.

using System.CommandLine;

namespace LlmAdapters.Samples.Chat;

/// <summary>
/// The chat CLI: <c>dotnet run --project samples/Chat -- "Hello"</c> streams the reply of the configured default
/// client; with no prompt it is an interactive chat. <c>--help</c> lists the options, examples and providers.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = ChatCommand.Create().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // A usage error exits with 2, as Unix tools do, and points at the help rather than printing all of it.
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'llm-chat --help' for the options, examples and providers.");
            return 2;
        }

        // Ctrl+C is the chat's own (ReplyInterruption): System.CommandLine's handler would end the whole process.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
