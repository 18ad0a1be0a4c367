// Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Cost.Tests;

/// <summary>
/// Token estimation without the tokenizer package (issue 25, item 2): <c>AddCostChatPipelineStages</c> alone registers the
/// character heuristic; <c>AddTiktokenTokenEstimator</c> (LlmAdapters.Cost.Tokenizers) replaces it whichever is called
/// first, and keeps an estimator the application registered itself.
/// </summary>
public sealed class TokenEstimatorRegistrationTests
{
    [Fact]
    public void CostAlone_RegistersTheHeuristic()
    {
        var services = new ServiceCollection().AddCostChatPipelineStages();
        using var provider = services.BuildServiceProvider();

        Assert.Same(ApproximateTokenEstimator.Instance, provider.GetRequiredService<ITokenEstimator>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tokenizers_BeforeOrAfterCost_Win(bool tokenizersFirst)
    {
        var services = new ServiceCollection();
        if (tokenizersFirst)
        {
            services.AddTiktokenTokenEstimator().AddCostChatPipelineStages();
        }
        else
        {
            services.AddCostChatPipelineStages().AddTiktokenTokenEstimator();
        }

        services.AddTiktokenTokenEstimator();
        using var provider = services.BuildServiceProvider();

        Assert.Same(TiktokenTokenEstimator.Default, provider.GetRequiredService<ITokenEstimator>());
        Assert.Single(services, d => d.ServiceType == typeof(ITokenEstimator));
    }

    [Fact]
    public void ApplicationsOwnEstimator_IsKept()
    {
        var mine = new TiktokenTokenEstimator("gpt-4o");
        var services = new ServiceCollection().AddSingleton<ITokenEstimator>(mine);
        services.AddCostChatPipelineStages().AddTiktokenTokenEstimator();
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ITokenEstimator>());
    }

    [Fact]
    public void BudgetAndCostAccountingOptions_DefaultToTheHeuristic()
    {
        Assert.Same(ApproximateTokenEstimator.Instance, new BudgetChatClientOptions().TokenEstimator);
        Assert.Same(ApproximateTokenEstimator.Instance, new CostAccountingChatClientOptions().TokenEstimator);
    }
}
