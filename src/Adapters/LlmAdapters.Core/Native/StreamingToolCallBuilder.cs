// Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// Assembles the fragments of streamed tool calls (an id and a name, then pieces of the arguments JSON, keyed by the
/// provider's index) into complete <see cref="FunctionCallContent"/>s, so that a caller only ever sees whole calls.
/// </summary>
/// <remarks>Arguments that do not parse become the call's <see cref="FunctionCallContent.Exception"/> (as M.E.AI does), not a failed stream.</remarks>
public sealed class StreamingToolCallBuilder
{
    private readonly SortedDictionary<int, Pending> _pending = [];

    /// <summary>Gets a value indicating whether a call is being assembled.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>Adds a fragment of the call at <paramref name="index"/>.</summary>
    /// <param name="index">The provider's index of the call.</param>
    /// <param name="callId">The call id, when this fragment carries it.</param>
    /// <param name="name">The function name, when this fragment carries it.</param>
    /// <param name="argumentsFragment">A piece of the arguments JSON text, if any.</param>
    public void Append(int index, string? callId, string? name, string? argumentsFragment)
    {
        if (!_pending.TryGetValue(index, out var pending))
        {
            pending = new Pending();
            _pending[index] = pending;
        }

        pending.CallId ??= callId;
        pending.Name ??= name;
        pending.Arguments.Append(argumentsFragment);
    }

    /// <summary>Completes the call at <paramref name="index"/>.</summary>
    /// <param name="index">The provider's index of the call.</param>
    /// <param name="fallbackCallId">The id to use when the provider sent none.</param>
    /// <returns>The call, or <see langword="null"/> when nothing was added at that index.</returns>
    public FunctionCallContent? Complete(int index, Func<string>? fallbackCallId = null) =>
        _pending.Remove(index, out var pending) ? pending.ToContent(fallbackCallId) : null;

    /// <summary>Completes every pending call, in index order.</summary>
    /// <param name="fallbackCallId">The id to use when the provider sent none.</param>
    /// <returns>The calls.</returns>
    public IList<FunctionCallContent> CompleteAll(Func<string>? fallbackCallId = null)
    {
        var calls = new List<FunctionCallContent>(_pending.Count);
        foreach (var pending in _pending.Values)
        {
            calls.Add(pending.ToContent(fallbackCallId));
        }

        _pending.Clear();
        return calls;
    }

    private sealed class Pending
    {
        public string? CallId { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();

        public FunctionCallContent ToContent(Func<string>? fallbackCallId)
        {
            var callId = CallId ?? fallbackCallId?.Invoke() ?? string.Empty;
            var json = Arguments.ToString();
            return string.IsNullOrWhiteSpace(json)
                ? new FunctionCallContent(callId, Name ?? string.Empty, new Dictionary<string, object?>(StringComparer.Ordinal))
                : FunctionCallContent.CreateFromParsedArguments(json, callId, Name ?? string.Empty, NativeJson.ParseArguments);
        }
    }
}
