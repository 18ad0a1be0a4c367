// Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmAdapters.TestUtilities.Hostile;

/// <summary>
/// A scripted HTTP/1.1 server on 127.0.0.1 (a free port) that answers every request with the same raw bytes and closes
/// the connection: a status line, headers and a body exactly as given, so that a body can be cut, invalid UTF-8 or a lie
/// about its length. Counts the requests it reads.
/// </summary>
public sealed class HostileProviderServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly byte[] _answer;
    private readonly byte[]? _trickle;
    private int _requests;

    private HostileProviderServer(byte[] answer, byte[]? trickle = null)
    {
        _answer = answer;
        _trickle = trickle;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = AcceptAsync();
    }

    /// <summary>Gets the server's address, with a trailing slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets how many requests the server has read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server that answers every request with <paramref name="answer"/>.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The running server.</returns>
    public static HostileProviderServer Start(HostileAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(answer.Status).Append(' ').Append(answer.Status == 200 ? "OK" : "Error").Append("\r\n");
        head.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");
        foreach (var (name, value) in answer.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!answer.Cut)
        {
            head.Append("Content-Length: ").Append(answer.ContentLength ?? answer.Body.Length).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return new HostileProviderServer([.. Encoding.ASCII.GetBytes(head.ToString()), .. answer.Body], answer.Trickle);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped (InvalidOperationException "Not listening" when the stop comes before the first accept starts).
                return;
            }

            _ = AnswerAsync(connection);
        }
    }

    private async Task AnswerAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                await ReadRequestAsync(stream);
                Interlocked.Increment(ref _requests);
                await stream.WriteAsync(_answer, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                while (_trickle is not null && !_stop.IsCancellationRequested)
                {
                    // Keep the stream alive with bytes that are no event, until the client goes away (an IOException).
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, _stop.Token);
                    await stream.WriteAsync(_trickle, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }

                connection.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away: nothing to answer.
            }
        }
    }

    // Reads the request head and a Content-Length body, so that the client has sent everything before the answer.
    private async Task ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>(4096);
        var chunk = new byte[4096];
        var headEnd = -1;
        while (headEnd < 0)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
            headEnd = IndexOfHeadEnd(buffer);
        }

        var head = Encoding.ASCII.GetString([.. buffer.Take(headEnd)]);
        var length = 0;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var have = buffer.Count - headEnd - 4;
        while (have < length)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return;
            }

            have += read;
        }
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
