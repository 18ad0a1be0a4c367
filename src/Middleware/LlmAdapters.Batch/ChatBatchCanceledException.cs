// Licensed under the MIT License.

namespace LlmAdapters.Batch;

/// <summary>
/// Thrown when a batch's cancellation token is cancelled: an <see cref="OperationCanceledException"/> that carries the
/// batch's <see cref="Result"/>, so the caller learns which items finished before the cancellation.
/// </summary>
public sealed class ChatBatchCanceledException : OperationCanceledException
{
    /// <summary>Initializes a new instance of the <see cref="ChatBatchCanceledException"/> class.</summary>
    public ChatBatchCanceledException()
        : base("The batch was cancelled.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchCanceledException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ChatBatchCanceledException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchCanceledException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatBatchCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchCanceledException"/> class with the partial result.</summary>
    /// <param name="result">The batch's result at cancellation: finished items keep their results, the others are not run or cancelled.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    public ChatBatchCanceledException(ChatBatchResult result, CancellationToken cancellationToken)
        : base(FormatMessage(result ?? throw new ArgumentNullException(nameof(result))), cancellationToken)
    {
        Result = result;
    }

    /// <summary>Gets the batch's result at cancellation, or <see langword="null"/> when built without one.</summary>
    public ChatBatchResult? Result { get; }

    private static string FormatMessage(ChatBatchResult result) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"The batch was cancelled: {result.Succeeded} succeeded, {result.Failed} failed, {result.Cancelled} cancelled in flight, {result.NotRun} not run.");
}
