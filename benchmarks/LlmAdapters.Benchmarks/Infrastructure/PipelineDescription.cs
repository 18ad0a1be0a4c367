// Licensed under the MIT License.

using System.Reflection;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>Names the clients of a pipeline, outermost first, so that the benchmark log says what was measured.</summary>
internal static class PipelineDescription
{
    public static string Describe(IChatClient client)
    {
        var names = new List<string>();
        for (IChatClient? current = client; current is not null && names.Count < 32; current = Inner(current))
        {
            names.Add(current.GetType().Name);
        }

        return string.Join(" -> ", names);
    }

    private static IChatClient? Inner(IChatClient client)
    {
        // DelegatingChatClient keeps its inner client in a protected property; other wrappers in a private field.
        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        for (var type = client.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetProperty("InnerClient", Flags)?.GetValue(client) is IChatClient property)
            {
                return property;
            }

            foreach (var field in type.GetFields(Flags | BindingFlags.DeclaredOnly))
            {
                if (typeof(IChatClient).IsAssignableFrom(field.FieldType) && field.GetValue(client) is IChatClient inner && !ReferenceEquals(inner, client))
                {
                    return inner;
                }
            }
        }

        return null;
    }
}
