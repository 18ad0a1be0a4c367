// Licensed under the MIT License.

namespace LlmAdapters.Benchmarks;

/// <summary>
/// What every benchmarked path extracts from a response: the text, the first tool call (<c>name#id#argumentCount</c>)
/// and the token usage. Each class checks in its setup that all its paths agree with the fixture, so that no path is
/// measured while skipping work the others do.
/// </summary>
/// <param name="Text">The concatenated text.</param>
/// <param name="ToolCall">The first tool call, or <see langword="null"/>.</param>
/// <param name="InputTokens">The input token count, or <see langword="null"/>.</param>
/// <param name="OutputTokens">The output token count, or <see langword="null"/>.</param>
public readonly record struct ChatAnswer(string Text, string? ToolCall, long? InputTokens, long? OutputTokens)
{
    /// <summary>Throws unless this answer equals the expected one.</summary>
    /// <param name="expected">The expected answer.</param>
    /// <param name="path">The name of the path that produced this answer.</param>
    /// <exception cref="InvalidOperationException">The answers differ.</exception>
    public void Verify(ChatAnswer expected, string path)
    {
        if (this != expected)
        {
            throw new InvalidOperationException($"{path} produced {this}, expected {expected}.");
        }
    }
}
