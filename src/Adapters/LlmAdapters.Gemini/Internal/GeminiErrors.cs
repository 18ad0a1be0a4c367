// Licensed under the MIT License.

namespace LlmAdapters.Gemini.Internal;

/// <summary>Where Gemini's google.rpc.Status errors say more than the shared rules.</summary>
internal static class GeminiErrors
{
    /// <summary>Refines the shared taxonomy: an invalid key is a 400 INVALID_ARGUMENT with reason <c>API_KEY_INVALID</c>, an authentication failure.</summary>
    /// <param name="exception">The exception the shared rules built.</param>
    /// <param name="response">The response, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException Refine(ChatProviderException exception, HttpResponseMessage? response)
    {
        var invalidKey = exception.RawBody?.Contains("API_KEY_INVALID", StringComparison.Ordinal) == true ||
                         exception.ProviderMessage?.Contains("API key not valid", StringComparison.OrdinalIgnoreCase) == true;
        var failedPrecondition = string.Equals(exception.ErrorType, "FAILED_PRECONDITION", StringComparison.Ordinal);
        if (!invalidKey && !failedPrecondition)
        {
            return exception;
        }

        // FAILED_PRECONDITION (billing not enabled, a region the API does not serve): the request cannot succeed as it is.
        var kind = invalidKey ? ChatProviderErrorKind.Authentication : ChatProviderErrorKind.InvalidRequest;
        return kind == exception.Kind ? exception : exception.With(kind, isTransient: false);
    }
}
