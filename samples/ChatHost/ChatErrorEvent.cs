// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The data of an <c>event: error</c> (and the extensions of an error problem): the failure's kind in the error taxonomy
/// (<see cref="ChatProviderErrorKind"/>, or <c>BudgetExceeded</c>, or a <see cref="ToolLoopErrorKind"/>, or <c>Unknown</c>) and its redacted message.
/// </summary>
/// <param name="Kind">The kind, e.g. <c>Authentication</c> or <c>RateLimited</c>.</param>
/// <param name="Message">The message, with credentials masked.</param>
/// <param name="Status">The provider's HTTP status, if one was received.</param>
/// <param name="RetryAfterSeconds">How long the provider asked to wait, if it said so.</param>
internal sealed record ChatErrorEvent(string Kind, string Message, int? Status, double? RetryAfterSeconds);
