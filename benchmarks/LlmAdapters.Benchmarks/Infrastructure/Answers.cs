// Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>Reads an <see cref="IChatClient"/>'s output into a <see cref="ChatAnswer"/>, doing the work the baselines do.</summary>
internal static class Answers
{
    public static async Task<ChatAnswer> FromStreamAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var text = new StringBuilder();
        string? toolCall = null;
        long? input = null, output = null;
        await foreach (var update in updates)
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case FunctionCallContent call:
                        toolCall ??= Describe(call);
                        break;
                    case UsageContent usage:
                        input = usage.Details.InputTokenCount;
                        output = usage.Details.OutputTokenCount;
                        break;
                }
            }
        }

        return new ChatAnswer(text.ToString(), toolCall, input, output);
    }

    public static async Task<ChatAnswer> FromResponseAsync(Task<ChatResponse> pending)
    {
        var response = await pending;
        var text = new StringBuilder();
        string? toolCall = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case FunctionCallContent call:
                        toolCall ??= Describe(call);
                        break;
                }
            }
        }

        return new ChatAnswer(text.ToString(), toolCall, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
    }

    private static string Describe(FunctionCallContent call) => $"{call.Name}#{call.CallId}#{call.Arguments?.Count ?? 0}";
}
