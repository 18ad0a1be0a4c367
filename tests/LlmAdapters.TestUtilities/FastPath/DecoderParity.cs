// Licensed under the MIT License.

using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.TestUtilities.FastPath;

/// <summary>
/// Compares a native stream decoder's byte-level fast path with its DTO path (issue 24): the same events, or the same event
/// after the same primer, must give the same updates (every field a caller reads, except <see cref="ChatResponseUpdate.RawRepresentation"/>,
/// which the fast path leaves unset) or the same exception.
/// </summary>
public static class DecoderParity
{
    /// <summary>Gets a clock that always says the same time, so that both paths stamp the same <see cref="ChatResponseUpdate.CreatedAt"/>.</summary>
    public static TimeProvider Clock { get; } = new FixedClock();

    /// <summary>Splits a recorded body into the events (or NDJSON lines) the transport hands a decoder.</summary>
    /// <param name="body">The body's bytes.</param>
    /// <param name="format">How the body is framed.</param>
    /// <returns>Each event's type (empty for NDJSON) and data.</returns>
    public static IReadOnlyList<(string EventType, byte[] Data)> Events(byte[] body, NativeStreamFormat format)
    {
        var events = new List<(string, byte[])>();
        if (format == NativeStreamFormat.NewlineDelimitedJson)
        {
            foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (!string.IsNullOrWhiteSpace(trimmed))
                {
                    events.Add((string.Empty, Encoding.UTF8.GetBytes(trimmed)));
                }
            }

            return events;
        }

        foreach (var item in SseParser.Create(new MemoryStream(body), static (type, data) => data.ToArray()).Enumerate())
        {
            events.Add((item.EventType, item.Data));
        }

        return events;
    }

    /// <summary>Decodes events in order, describing each update, and stops at the first exception (described too).</summary>
    /// <param name="decoder">A fresh decoder.</param>
    /// <param name="events">The events.</param>
    /// <returns>One line per event.</returns>
    public static IReadOnlyList<string> DecodeAll(INativeStreamDecoder decoder, IEnumerable<(string EventType, byte[] Data)> events)
    {
        var lines = new List<string>();
        foreach (var (type, data) in events)
        {
            var line = Describe(() => decoder.Decode(type, data));
            lines.Add(line);
            if (line.StartsWith("throws ", StringComparison.Ordinal))
            {
                break;
            }
        }

        lines.Add("completed: " + decoder.Completed);
        return lines;
    }

    /// <summary>Describes what a decode gives: every field a caller reads, or the exception's type, kind and message.</summary>
    /// <param name="decode">The decode.</param>
    /// <returns>The description.</returns>
    public static string Describe(Func<ChatResponseUpdate?> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        ChatResponseUpdate? update;
        try
        {
            update = decode();
        }
        catch (Exception ex)
        {
            return $"throws {ex.GetType().Name} {(ex as ChatProviderException)?.Kind}";
        }

        if (update is null)
        {
            return "none";
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{update.Role}|{update.FinishReason}|{update.ResponseId}|{update.MessageId}|{update.ModelId}|{update.CreatedAt:O}|");
        foreach (var key in update.AdditionalProperties?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
        {
            builder.Append(key).Append(',');
        }

        foreach (var content in update.Contents)
        {
            builder.Append('|').Append(content switch
            {
                TextContent t => "text:" + t.Text,
                TextReasoningContent r => "reasoning:" + r.Text + "/" + r.ProtectedData,
                FunctionCallContent f => "call:" + f.Name + JsonSerializer.Serialize(f.Arguments),
                UsageContent u => string.Create(CultureInfo.InvariantCulture, $"usage:{u.Details.InputTokenCount}/{u.Details.OutputTokenCount}/{u.Details.TotalTokenCount}/{u.Details.CachedInputTokenCount}/{u.Details.ReasoningTokenCount}/{string.Join(",", u.Details.AdditionalCounts ?? [])}"),
                ErrorContent e => "error:" + e.Message,
                _ => content.GetType().Name,
            });
        }

        return builder.ToString();
    }

    private sealed class FixedClock : TimeProvider
    {
        private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => s_now;
    }
}
