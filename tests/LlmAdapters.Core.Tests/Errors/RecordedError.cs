// Licensed under the MIT License.

using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;

namespace LlmAdapters.Core.Tests.Errors;

/// <summary>A recorded error response: either a body file, or a <c>{status, headers, body}</c> recording.</summary>
internal sealed record RecordedError(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static RecordedError Load(string file, int status)
    {
        var text = Fixture.Text(file);
        var node = JsonNode.Parse(text)!;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (node is JsonObject obj && obj["status"] is JsonValue recordedStatus && obj["body"] is { } body)
        {
            if (obj["headers"] is JsonObject recordedHeaders)
            {
                foreach (var (name, value) in recordedHeaders)
                {
                    headers[name] = value!.GetValue<string>();
                }
            }

            return new RecordedError(recordedStatus.GetValue<int>(), body.ToJsonString(), headers);
        }

        return new RecordedError(status, text, headers);
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
