// Licensed under the MIT License.

using System.Net;
using System.Text.Json;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>The chat host's <c>GET /health</c>: one entry per configured client, from <c>AddChatClientsHealthChecks</c>.</summary>
public sealed class ChatHostHealthTests(ChatHostFixture fixture) : IClassFixture<ChatHostFixture>
{
    [Fact]
    public async Task Health_OnTheEmulator_EveryClientIsHealthy()
    {
        using var response = await fixture.Host.Http.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var clients = body.GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(["default", "welcome"], clients.Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(clients, c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.Equal("emulator", c.GetProperty("provider").GetString());
            Assert.EndsWith("/v1/models", c.GetProperty("probe").GetString(), StringComparison.Ordinal);
        });
    }
}
