// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace LlmAdapters.TestUtilities;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that asserts the request body equals an expected JSON document (compared as JSON,
/// so whitespace and property order do not matter) and answers with a recorded body, byte for byte.
/// </summary>
public sealed class VerbatimHttpHandler : HttpMessageHandler
{
    private readonly string? _expectedRequestJson;
    private readonly byte[] _responseBody;
    private readonly string _contentType;
    private readonly HttpStatusCode _status;

    /// <summary>Initializes a new instance of the <see cref="VerbatimHttpHandler"/> class.</summary>
    /// <param name="expectedRequestJson">The JSON the request body must equal, or <see langword="null"/> to accept any body.</param>
    /// <param name="responseBody">The recorded response body.</param>
    /// <param name="contentType">The response content type.</param>
    /// <param name="status">The response status.</param>
    public VerbatimHttpHandler(string? expectedRequestJson, byte[] responseBody, string contentType = "application/json", HttpStatusCode status = HttpStatusCode.OK)
    {
        _expectedRequestJson = expectedRequestJson;
        _responseBody = responseBody;
        _contentType = contentType;
        _status = status;
    }

    /// <summary>Gets or sets a function that removes request fields the test does not pin (it receives the parsed actual request).</summary>
    public Action<JsonNode>? NormalizeActual { get; set; }

    /// <summary>Gets the response headers to add.</summary>
    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the last request seen.</summary>
    public HttpRequestMessage? LastRequest { get; private set; }

    /// <summary>Gets the body of the last request seen.</summary>
    public string? LastRequestBody { get; private set; }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        LastRequestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (_expectedRequestJson is not null)
        {
            Assert.NotNull(LastRequestBody);
            AssertJsonEqual(_expectedRequestJson, LastRequestBody!, NormalizeActual);
        }

        var response = new HttpResponseMessage(_status) { Content = new ByteArrayContent(_responseBody), RequestMessage = request };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", _contentType);
        foreach (var (name, value) in ResponseHeaders)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    /// <summary>Asserts that two JSON documents are equal as JSON.</summary>
    /// <param name="expected">The expected JSON.</param>
    /// <param name="actual">The actual JSON.</param>
    /// <param name="normalizeActual">Removes fields of the actual document the test does not pin.</param>
    public static void AssertJsonEqual(string expected, string actual, Action<JsonNode>? normalizeActual = null)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        if (actualNode is not null)
        {
            normalizeActual?.Invoke(actualNode);
        }

        if (!JsonNode.DeepEquals(expectedNode, actualNode))
        {
            Assert.Fail($"Request JSON differs.{Environment.NewLine}Expected: {expectedNode?.ToJsonString()}{Environment.NewLine}Actual:   {actualNode?.ToJsonString()}");
        }
    }

    /// <summary>Encodes text as UTF-8.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
