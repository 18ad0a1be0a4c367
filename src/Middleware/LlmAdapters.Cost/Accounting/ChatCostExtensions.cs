// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>Reads and writes the <see cref="ChatCost"/> that cost accounting attaches to responses and streaming updates.</summary>
public static class ChatCostExtensions
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> (and <see cref="ChatResponseUpdate.AdditionalProperties"/>) that holds the <see cref="ChatCost"/>.</summary>
    public const string CostKey = "llmadapters.cost";

    /// <summary>Gets the cost of a response, as attached by cost accounting.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The cost, or <see langword="null"/> when it is unknown (an unpriced model, no usage, or no cost accounting in the pipeline).</returns>
    public static ChatCost? GetCost(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(CostKey, out var value) == true ? value as ChatCost : null;
    }

    /// <summary>
    /// Gets the cost carried by a streaming update: cost accounting attaches it to each update that carries usage, as the
    /// cost of the whole streamed response so far (so the last one holds the total).
    /// </summary>
    /// <param name="update">The update.</param>
    /// <returns>The cost, or <see langword="null"/>.</returns>
    public static ChatCost? GetCost(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(CostKey, out var value) == true ? value as ChatCost : null;
    }

    /// <summary>Gets the cost of a streamed response: the last cost attached to its updates.</summary>
    /// <param name="updates">The updates, in order.</param>
    /// <returns>The cost, or <see langword="null"/>.</returns>
    public static ChatCost? GetCost(this IEnumerable<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ChatCost? last = null;
        foreach (var update in updates)
        {
            last = update.GetCost() ?? last;
        }

        return last;
    }

    /// <summary>Attaches a cost to a response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="cost">The cost.</param>
    public static void SetCost(this ChatResponse response, ChatCost cost)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(cost);
        (response.AdditionalProperties ??= [])[CostKey] = cost;
    }

    /// <summary>Attaches a cost to a streaming update.</summary>
    /// <param name="update">The update.</param>
    /// <param name="cost">The cost.</param>
    public static void SetCost(this ChatResponseUpdate update, ChatCost cost)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(cost);
        (update.AdditionalProperties ??= [])[CostKey] = cost;
    }
}
