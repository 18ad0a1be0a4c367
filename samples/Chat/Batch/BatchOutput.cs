// Licensed under the MIT License.

using System.Text.Encodings.Web;
using System.Text.Json;
using LlmAdapters.Batch;

namespace LlmAdapters.Samples.Chat.Batch;

/// <summary>
/// The batch output: one JSON object per finished item, appended and flushed line by line so that a batch stopped at any
/// point (even killed) can be resumed: <c>{"id","status":"ok","text","model","finish_reason","usage","cost"}</c> or
/// <c>{"id","status":"error","error":{"kind","message"}}</c>. Items not run or cancelled in flight are not written.
/// </summary>
internal sealed class BatchOutput : IAsyncDisposable
{
    // Output for people and tools, never for a web page: quotes and non-ASCII letters stay as they are.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _stream;

    private BatchOutput(FileStream stream) => _stream = stream;

    /// <summary>Reads the ids an earlier run wrote as succeeded; unreadable lines (a line cut by a killed run) are counted and ignored.</summary>
    public static async Task<(HashSet<string> Succeeded, int Unreadable)> ReadSucceededAsync(string path, CancellationToken cancellationToken)
    {
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = 0;
        if (!File.Exists(path))
        {
            return (succeeded, 0);
        }

        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.GetProperty("id").GetString() is { } id && root.GetProperty("status").GetString() == "ok")
                {
                    succeeded.Add(id);
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                unreadable++;
            }
        }

        return (succeeded, unreadable);
    }

    /// <summary>Opens the output for appending, first ending a line cut short by a killed run.</summary>
    public static async Task<BatchOutput> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (stream.Length > 0)
        {
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            reader.Seek(-1, SeekOrigin.End);
            if (reader.ReadByte() != '\n')
            {
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
        }

        return new BatchOutput(stream);
    }

    /// <summary>Writes one finished item and flushes it to disk.</summary>
    public async Task WriteAsync(ChatBatchItemResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("id", result.Id);
            if (result.Response is { } response)
            {
                json.WriteString("status", "ok");
                json.WriteString("text", response.Text);
                json.WriteString("model", response.ModelId);
                json.WriteString("finish_reason", response.FinishReason?.Value);
                json.WriteStartObject("usage");
                json.WriteNumber("input_tokens", response.Usage?.InputTokenCount ?? 0);
                json.WriteNumber("output_tokens", response.Usage?.OutputTokenCount ?? 0);
                json.WriteNumber("total_tokens", response.Usage?.TotalTokenCount ?? 0);
                json.WriteEndObject();
                if (result.Cost is { } cost)
                {
                    json.WriteNumber("cost", cost.Total);
                }
                else
                {
                    json.WriteNull("cost");
                }
            }
            else
            {
                json.WriteString("status", "error");
                json.WriteStartObject("error");
                json.WriteString("kind", BatchCommand.KindOf(result));
                json.WriteString("message", result.Error?.Message);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await _stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        await _stream.FlushAsync();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
