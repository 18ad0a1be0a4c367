// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Gateway;

/// <summary>The gateway's logs. Keys appear by name only; a presented key is never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Warning, "Gateway request to {Path} refused: no valid API key (from {RemoteAddress}).", EventName = "GatewayUnauthorized")]
    public static partial void Unauthorized(ILogger logger, string path, string? remoteAddress);

    [LoggerMessage(6002, LogLevel.Error, "Gateway call of key '{Key}' to client '{Client}' failed with {Status}.", EventName = "GatewayCallFailed")]
    public static partial void CallFailed(ILogger logger, string key, string client, int status, Exception exception);

    [LoggerMessage(6003, LogLevel.Information, "Gateway call of key '{Key}' to client '{Client}' refused with {Status} ({Code}).", EventName = "GatewayCallRefused")]
    public static partial void CallRefused(ILogger logger, string key, string client, int status, string? code);

    [LoggerMessage(6004, LogLevel.Information, "Gateway call of key '{Key}' to client '{Client}' cancelled: the caller went away.", EventName = "GatewayCallCancelled")]
    public static partial void CallCancelled(ILogger logger, string key, string client);

    [LoggerMessage(6005, LogLevel.Warning, "Gateway stream of key '{Key}' to client '{Client}' failed after the first byte with {Status}: sent as an error event.", EventName = "GatewayStreamFailed")]
    public static partial void StreamFailed(ILogger logger, string key, string client, int status);
}
