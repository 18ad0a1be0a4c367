// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmAdapters.Gemini.Internal;

/// <summary>
/// Converts a JSON Schema (as <see cref="Microsoft.Extensions.AI.AIFunction"/> and <see cref="Microsoft.Extensions.AI.ChatResponseFormatJson"/>
/// carry it) to the OpenAPI-subset <c>Schema</c> the API accepts in <c>parameters</c> and <c>responseSchema</c>.
/// </summary>
/// <remarks>
/// Kept: <c>type</c> (upper-cased), <c>description</c>, <c>enum</c> (as strings), <c>format</c>, <c>properties</c>, <c>required</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>,
/// <c>title</c>, <c>anyOf</c>. Rewritten: a type list with <c>"null"</c> (<c>["string","null"]</c>) and an <c>anyOf</c> with a
/// <c>{"type":"null"}</c> branch become the type plus <c>nullable: true</c>; <c>const</c> becomes a one-value <c>enum</c>; a local
/// <c>$ref</c> to <c>$defs</c>/<c>definitions</c> is inlined (a recursive one becomes an untyped <c>OBJECT</c>). Dropped:
/// <c>$schema</c>, <c>$id</c>, <c>$defs</c>, <c>additionalProperties</c>, <c>default</c>, <c>examples</c>, <c>readOnly</c>, and any
/// other keyword the API rejects. docs/providers.md lists the same.
/// </remarks>
internal static class GeminiSchema
{
    private static readonly HashSet<string> s_copied = ["description", "format", "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "title"];

    /// <summary>Converts a schema.</summary>
    /// <param name="schema">The JSON Schema.</param>
    /// <returns>The API's schema, or <see langword="null"/> when <paramref name="schema"/> is not an object.</returns>
    public static JsonElement? Convert(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var root = JsonNode.Parse(schema.GetRawText())!.AsObject();
        var defs = root["$defs"] as JsonObject ?? root["definitions"] as JsonObject;
        var converted = ConvertNode(root, defs, depth: 0, []);
        return JsonSerializer.SerializeToElement(converted, GeminiJsonContext.Default.JsonNode);
    }

    private static JsonObject ConvertNode(JsonObject node, JsonObject? defs, int depth, HashSet<string> visiting)
    {
        if (node["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            if (defs?[name] is JsonObject target && depth < 32 && visiting.Add(name))
            {
                var inlined = ConvertNode(target, defs, depth + 1, visiting);
                visiting.Remove(name);
                CopyDescription(node, inlined);
                return inlined;
            }

            return new JsonObject { ["type"] = "OBJECT" };
        }

        var result = new JsonObject();
        var nullable = false;
        switch (node["type"])
        {
            case JsonValue value when value.TryGetValue<string>(out var type):
                result["type"] = type.ToUpperInvariant();
                break;
            case JsonArray types:
                foreach (var t in types)
                {
                    var name = t?.GetValue<string>();
                    if (name == "null")
                    {
                        nullable = true;
                    }
                    else if (name is not null && !result.ContainsKey("type"))
                    {
                        result["type"] = name.ToUpperInvariant();
                    }
                }

                break;
        }

        foreach (var (name, value) in node)
        {
            if (value is null)
            {
                continue;
            }

            switch (name)
            {
                case var copied when s_copied.Contains(copied):
                    result[name] = value.DeepClone();
                    break;
                case "enum" when value is JsonArray values:
                    var strings = new JsonArray();
                    foreach (var v in values)
                    {
                        if (v is null)
                        {
                            nullable = true;
                        }
                        else
                        {
                            strings.Add((JsonNode)JsonValue.Create(v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()));
                        }
                    }

                    result["enum"] = strings;
                    result["type"] ??= "STRING";
                    break;
                case "const":
                    result["enum"] = new JsonArray(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
                    result["type"] ??= "STRING";
                    break;
                case "properties" when value is JsonObject properties:
                    var converted = new JsonObject();
                    foreach (var (propertyName, property) in properties)
                    {
                        if (property is JsonObject propertySchema)
                        {
                            converted[propertyName] = ConvertNode(propertySchema, defs, depth + 1, visiting);
                        }
                    }

                    result["properties"] = converted;
                    result["type"] ??= "OBJECT";
                    break;
                case "required" when value is JsonArray required:
                    result["required"] = required.DeepClone();
                    break;
                case "items" when value is JsonObject items:
                    result["items"] = ConvertNode(items, defs, depth + 1, visiting);
                    result["type"] ??= "ARRAY";
                    break;
                case "anyOf" or "oneOf" when value is JsonArray branches:
                    var kept = new JsonArray();
                    foreach (var branch in branches)
                    {
                        if (branch is JsonObject b)
                        {
                            if (b["type"] is JsonValue bt && bt.TryGetValue<string>(out var branchType) && branchType == "null")
                            {
                                nullable = true;
                            }
                            else
                            {
                                kept.Add((JsonNode)ConvertNode(b, defs, depth + 1, visiting));
                            }
                        }
                    }

                    if (kept.Count == 1 && kept[0] is JsonObject single)
                    {
                        // "anyOf": [X, null] is X, nullable.
                        foreach (var (k, v) in single.ToList())
                        {
                            single.Remove(k);
                            result[k] ??= v;
                        }
                    }
                    else if (kept.Count > 1)
                    {
                        result["anyOf"] = kept;
                    }

                    break;
            }
        }

        if (nullable)
        {
            result["nullable"] = true;
        }

        return result;
    }

    private static void CopyDescription(JsonObject from, JsonObject to)
    {
        if (from["description"] is { } description && !to.ContainsKey("description"))
        {
            to["description"] = description.DeepClone();
        }
    }
}
