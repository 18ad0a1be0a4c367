// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Headers;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// Answers every request from memory with the same body. It reads the request body to the end first, as a real
/// transport writes it to the socket: a client that serializes its request lazily pays for it like any other.
/// </summary>
internal sealed class MemoryHttpHandler(byte[] body, string contentType) : HttpMessageHandler
{
    private readonly MediaTypeHeaderValue _contentType = new(contentType);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body), RequestMessage = request };
        response.Content.Headers.ContentType = _contentType;
        return response;
    }
}
