// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// Sends <see cref="ChatOptions.AdditionalProperties"/> as top-level fields of the request body, the way compatible
/// servers take their own parameters (DashScope <c>enable_thinking</c>, vLLM <c>top_k</c> and <c>chat_template_kwargs</c>).
/// Microsoft.Extensions.AI.OpenAI 10.11 sends none of them.
/// </summary>
/// <remarks>
/// Names with a dot (<c>llmadapters.tenant</c>) are local to the pipeline and never sent. Values are serialized with
/// <see cref="AIJsonUtilities.DefaultOptions"/>. A caller's own <see cref="ChatOptions.RawRepresentationFactory"/> still runs
/// first, and a field it already patched wins.
/// </remarks>
internal static class ExtraBodyFields
{
    /// <summary>Returns options whose factory adds the extra fields, or <paramref name="options"/> itself when there are none.</summary>
    /// <param name="options">The caller's options (not modified).</param>
    /// <returns>The options to pass on.</returns>
    public static ChatOptions? Apply(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } additional || !HasSendable(additional))
        {
            return options;
        }

        var fields = new List<(byte[] Path, byte[] Json)>(additional.Count);
        foreach (var (name, value) in additional)
        {
            if (!IsSendable(name))
            {
                continue;
            }

            var json = value is null
                ? "null"u8.ToArray()
                : JsonSerializer.SerializeToUtf8Bytes(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            fields.Add((Encoding.UTF8.GetBytes("$." + name), json));
        }

        var callerFactory = options.RawRepresentationFactory;
        var clone = options.Clone();
        clone.RawRepresentationFactory = client =>
        {
            var completionOptions = callerFactory?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is for evaluation purposes only; the tests pin the request bodies it produces.
            foreach (var (path, json) in fields)
            {
                if (!completionOptions.Patch.Contains(path))
                {
                    completionOptions.Patch.Set(path, json);
                }
            }
#pragma warning restore SCME0001

            return completionOptions;
        };
        return clone;
    }

    private static bool HasSendable(AdditionalPropertiesDictionary additional)
    {
        foreach (var name in additional.Keys)
        {
            if (IsSendable(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSendable(string name) => ExtraBodyFieldNames.IsSendable(name);
}
