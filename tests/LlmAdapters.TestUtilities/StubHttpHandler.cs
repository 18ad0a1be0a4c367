// Licensed under the MIT License.

namespace LlmAdapters.TestUtilities;

/// <summary>An <see cref="HttpMessageHandler"/> built from a function: for status codes, <c>Retry-After</c> and faults.</summary>
public sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;

    /// <summary>Initializes a new instance of the <see cref="StubHttpHandler"/> class.</summary>
    /// <param name="send">Answers each request.</param>
    public StubHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) => _send = send;

    /// <summary>Initializes a new instance of the <see cref="StubHttpHandler"/> class.</summary>
    /// <param name="send">Answers each request.</param>
    public StubHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> send) => _send = (r, _) => Task.FromResult(send(r));

    /// <summary>Gets the number of requests seen.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Calls++;
        return _send(request, cancellationToken);
    }
}
