// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Cost;

/// <summary>Reads <c>Pipeline:Budget:Run</c> into a <see cref="RunBudget"/>, each problem with its key path.</summary>
internal static class RunBudgetConfiguration
{
    private static readonly string[] s_limitKeys = ["Run:Cost", "Run:Tokens", "Run:ModelCalls", "Run:Duration"];

    public static bool IsSet(IConfiguration section) => s_limitKeys.Any(k => !string.IsNullOrWhiteSpace(section[k]));

    public static RunBudget? Read(ChatPipelineContext context, List<string> errors)
    {
        var section = context.Section;
        var path = context.SectionPath;
        var cost = ConfigurationReader.GetDecimal(section, "Run:Cost", "an amount of US dollars (examples: 0.50, 2)", errors, path);
        if (cost is <= 0)
        {
            errors.Add($"{path}:Run:Cost is {cost}: use a positive amount of US dollars (examples: 0.50, 2).");
            cost = null;
        }

        var budget = new RunBudget
        {
            Name = path + ":Run",
            MaxCost = cost,
            MaxTokens = ConfigurationReader.GetInt32(section, "Run:Tokens", 1, errors, path),
            MaxModelCalls = ConfigurationReader.GetInt32(section, "Run:ModelCalls", 1, errors, path),
            MaxDuration = ConfigurationReader.GetDuration(section, "Run:Duration", errors, path),
            WrapUp = ConfigurationReader.GetBoolean(section, "Run:WrapUp", errors, path) ?? false,
            WrapUpMaxOutputTokens = ConfigurationReader.GetInt32(section, "Run:WrapUpMaxOutputTokens", 1, errors, path) ?? 512,
        };
        if (section["Run:WrapUpInstruction"] is { } instruction)
        {
            if (string.IsNullOrWhiteSpace(instruction))
            {
                errors.Add($"{path}:Run:WrapUpInstruction is empty: remove it for the default, or write the instruction.");
            }
            else
            {
                budget.WrapUpInstruction = instruction;
            }
        }

        return budget.HasLimits ? budget : null;
    }
}
