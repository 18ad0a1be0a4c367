// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>
/// Estimates how many input tokens a request will use before it is sent: for rate limits on tokens per minute and
/// for budget reservations. The real count arrives afterwards in <see cref="UsageDetails"/>.
/// </summary>
public interface ITokenEstimator
{
    /// <summary>Estimates the input tokens of a request.</summary>
    /// <param name="messages">The messages of the request.</param>
    /// <param name="options">The options of the request (its instructions and tool declarations count too), if any.</param>
    /// <returns>The estimated number of input tokens; never negative.</returns>
    int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options);
}
