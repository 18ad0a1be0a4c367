// Licensed under the MIT License.

namespace LlmAdapters.Samples.Gateway;

/// <summary>The sample's logs.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "AI:Provider is 'emulator' for {Clients}: replies come from the built-in emulator at {Address}, offline (set AI__Provider and its API key to use a real provider).", EventName = "EmulatorStarted")]
    public static partial void EmulatorStarted(ILogger logger, string clients, Uri address);
}
