// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Tests.Hostile;

/// <summary>The hostile-provider suite on the native DashScope adapter.</summary>
public sealed class DashScopeHostileProviderTests : HostileProviderTests
{
    protected override string ProviderName => "dashscope-native";

    protected override Uri Endpoint(Uri baseAddress) => baseAddress;

    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new DashScopeChatClient(new DashScopeChatClientOptions { Endpoint = endpoint, ApiKey = apiKey, Model = "qwen-plus" }, httpClient);

    // DashScope's envelope is {code, message, request_id}; the suite's error types map to its codes.
    protected override string ErrorBody(string message, string type)
    {
        var code = type switch
        {
            "authentication_error" => "InvalidApiKey",
            "rate_limit_error" => "Throttling.RateQuota",
            _ => "InternalError",
        };
        return $$"""{"code":"{{code}}","message":{{System.Text.Json.JsonSerializer.Serialize(message)}},"request_id":"hostile-request"}""";
    }

    // An incremental chunk whose finish_reason is the string "null": the stream is not over after it.
    protected override string StreamChunk(string text) =>
        $$"""data: {"output":{"choices":[{"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"null"}]},"request_id":"hostile-request"}""" + "\n\n";

    protected override string ResponseBody(string text) =>
        $$$"""{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"{{{text}}}"}}]},"usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},"request_id":"hostile-request"}""";

    protected override string StreamFinish(bool length) =>
        $$"""data: {"output":{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"{{(length ? "length" : "stop")}}"}]},"usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},"request_id":"hostile-request"}""" + "\n\n";

    // DashScope carries the arguments as a JSON string holding JSON text, as Chat Completions does.
    protected override string ToolCallBody(string arguments) =>
        """{"output":{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":"","tool_calls":[{"type":"function","id":"call_1","function":{"name":"f","arguments":""" + System.Text.Json.JsonSerializer.Serialize(arguments) + """}}]}}]},"request_id":"hostile-request"}""";

    protected override string ToolCallStream(string arguments) => "data: " + ToolCallBody(arguments) + "\n\n";

    protected override IEnumerable<string> NoResultBodies =>
        ["""{"output":{"choices":[]},"request_id":"hostile-request"}""",
         """{"output":{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"null"}]},"request_id":"hostile-request"}"""];
}
