// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace LlmAdapters.TestUtilities.FastPath;

/// <summary>
/// Measures the bytes one more streamed event costs an adapter: the difference between a long and a short stream of the
/// same event, divided by the extra events, so that the fixed cost of a call cancels out. Counted with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>, so the test must run in a collection that runs alone. Bytes, never time.
/// </summary>
public static class StreamAllocation
{
    /// <summary>Gets the bytes per extra event.</summary>
    /// <param name="client">Makes a client whose every call streams a body of the given number of hot events.</param>
    /// <param name="textPerEvent">The text length each hot event adds (the stream's text is checked, so no row skips work).</param>
    /// <param name="small">The short stream's event count.</param>
    /// <param name="large">The long stream's event count.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <returns>The bytes per extra event.</returns>
    public static async Task<long> BytesPerEventAsync(Func<int, IChatClient> client, int textPerEvent, int small, int large, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var smallClient = client(small);
        using var largeClient = client(large);
        for (var i = 0; i < 5; i++)
        {
            await DrainAsync(smallClient, small * textPerEvent, cancellationToken).ConfigureAwait(false);
            await DrainAsync(largeClient, large * textPerEvent, cancellationToken).ConfigureAwait(false);
        }

        var smallBytes = await MeasureAsync(smallClient, small * textPerEvent, cancellationToken).ConfigureAwait(false);
        var largeBytes = await MeasureAsync(largeClient, large * textPerEvent, cancellationToken).ConfigureAwait(false);
        return (largeBytes - smallBytes) / (large - small);
    }

    /// <summary>A handler answering every request with the same body.</summary>
    /// <param name="body">The body.</param>
    /// <param name="mediaType">Its media type.</param>
    /// <returns>The handler.</returns>
    public static StubHttpHandler Serve(byte[] body, string mediaType) => new(_ =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return response;
    });

    private static async Task<long> MeasureAsync(IChatClient client, int minimumText, CancellationToken cancellationToken)
    {
        const int Runs = 10;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Runs; i++)
        {
            await DrainAsync(client, minimumText, cancellationToken).ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / Runs;
    }

    private static async Task DrainAsync(IChatClient client, int minimumText, CancellationToken cancellationToken)
    {
        var text = 0;
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "Hello")], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            text += update.Text.Length;
        }

        if (text < minimumText)
        {
            throw new InvalidOperationException($"The stream yielded {text} characters of text, fewer than the {minimumText} it holds.");
        }
    }
}
