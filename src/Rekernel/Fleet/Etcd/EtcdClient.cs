using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using static Rekernel.Fleet.Etcd.EtcdWire;

namespace Rekernel.Fleet.Etcd;

/// <summary>
/// An etcd v3 client over the JSON gateway that every etcd since 3.4 serves on its client port. It is
/// <see cref="HttpClient"/> plus source-generated JSON, so it adds no package and stays free of AOT warnings;
/// the gRPC client (dotnet-etcd) would bring Grpc.Net.Client and Google.Protobuf, whose reflection-based parts
/// are what NativeAOT warns about (the measurement is in the README's Fleet section). An endpoint that does not
/// answer is left for the next; the one that answered is tried first next time.
/// </summary>
public sealed class EtcdClient : IDisposable
{
    private static readonly EtcdJsonContext Json = EtcdJsonContext.Default;
    private readonly EtcdOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _authenticating = new(1, 1);
    private int _current;
    private string? _token;
    private long _requests;

    public EtcdClient(EtcdOptions options)
    {
        _options = options;
        _http = new HttpClient(Handler(options)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Requests sent so far (every attempt counts), for <c>fleet simulate</c>'s requests per host.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancel = default) =>
        CallAsync("/v3/kv/range", request, Json.RangeRequest, Json.RangeResponse, cancel);

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken cancel = default) =>
        CallAsync("/v3/kv/put", request, Json.PutRequest, Json.PutResponse, cancel);

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancel = default) =>
        CallAsync("/v3/kv/deleterange", request, Json.DeleteRangeRequest, Json.DeleteRangeResponse, cancel);

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancel = default) =>
        CallAsync("/v3/kv/txn", request, Json.TxnRequest, Json.TxnResponse, cancel);

    public Task<LeaseGrantResponse> LeaseGrantAsync(long ttlSeconds, CancellationToken cancel = default) =>
        CallAsync("/v3/lease/grant", new LeaseGrantRequest(ttlSeconds), Json.LeaseGrantRequest, Json.LeaseGrantResponse, cancel);

    /// <summary>Renews lease <paramref name="id"/>; false when it has already expired (etcd answers without a TTL).</summary>
    public async Task<bool> LeaseKeepAliveAsync(long id, CancellationToken cancel = default)
    {
        LeaseKeepAliveResponse response = await CallAsync("/v3/lease/keepalive", new LeaseKeepAliveRequest(id), Json.LeaseKeepAliveRequest, Json.LeaseKeepAliveResponse, cancel).ConfigureAwait(false);
        return response.Result is { Ttl: > 0 };
    }

    /// <summary>
    /// Every version <paramref name="key"/> had from revision <paramref name="from"/> through <paramref name="through"/> (a revision that changed it),
    /// from etcd's own history (a watch that starts in the past replays it); a delete is a version without a value.
    /// </summary>
    public async Task<IReadOnlyList<KeyValue>> HistoryAsync(byte[] key, long from, long through, CancellationToken cancel = default)
    {
        var versions = new List<KeyValue>();
        await foreach (WatchResult result in WatchAsync([new WatchCreateRequest(key, null, from)], cancel).ConfigureAwait(false))
        {
            if (result.CompactRevision > 0)
                throw new EtcdRefusedException($"etcd compacted its history past revision {from}, so the semaphore's history cannot be read", 0);
            versions.AddRange((result.Events ?? []).Select(e => e.Type == "DELETE" ? e.Kv! with { Value = null } : e.Kv!));
            if (versions.Count > 0 && versions[^1].ModRevision >= through) break;
        }
        return versions;
    }

    /// <summary>
    /// Opens one watch stream holding every watch in <paramref name="watches"/> (the gateway reads several create
    /// requests from one body: one HTTP request, however long it lasts) and yields what etcd sends, line by line,
    /// until <paramref name="cancel"/> fires; etcd ending the stream, or the connection failing, is an
    /// <see cref="EtcdUnavailableException"/>.
    /// </summary>
    public async IAsyncEnumerable<WatchResult> WatchAsync(IReadOnlyList<WatchCreateRequest> watches, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        if (_options.User is not null && _token is null) await AuthenticateAsync(null, cancel).ConfigureAwait(false);
        Uri endpoint = _options.Endpoints[Volatile.Read(ref _current)];
        string where = endpoint.GetLeftPart(UriPartial.Authority);
        var body = new MemoryStream();
        foreach (WatchCreateRequest watch in watches)
        {
            JsonSerializer.Serialize(body, new WatchRequest(watch), Json.WatchRequest);
            body.WriteByte((byte)'\n');
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/v3/watch")) { Content = new ByteArrayContent(body.ToArray()) };
        if (_token is not null) message.Headers.TryAddWithoutValidation("Authorization", _token);
        Interlocked.Increment(ref _requests);
        using HttpResponseMessage response = await Unavailable(where, () => _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel)).ConfigureAwait(false);
        using var reader = new StreamReader(await Unavailable(where, () => response.Content.ReadAsStreamAsync(cancel)).ConfigureAwait(false));
        while (true)
        {
            string line = await Unavailable(where, () => reader.ReadLineAsync(cancel).AsTask()).ConfigureAwait(false)
                ?? throw new EtcdUnavailableException($"etcd at {where} ended a watch; run again.");
            if (TryParse(Encoding.UTF8.GetBytes(line), Json.WatchResponse)?.Result is { } result) yield return result;
        }
    }

    /// <summary>What <paramref name="call"/> returns; a connection that fails is etcd being unavailable, in one sentence.</summary>
    private static async Task<T> Unavailable<T>(string where, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new EtcdUnavailableException($"cannot reach etcd at {where} ({ex.Message.TrimEnd('.')}); check that etcd runs and the endpoints (--etcd, endpoints in rekernel.conf's [fleet]) and TLS files are right.");
        }
    }

    /// <summary>Posts <paramref name="request"/> to <paramref name="path"/> on the first endpoint that answers, authenticating when a user is configured.</summary>
    private async Task<TResponse> CallAsync<TRequest, TResponse>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancel)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        if (_options.User is not null && _token is null) await AuthenticateAsync(null, cancel).ConfigureAwait(false);
        try
        {
            return await PostAnywhereAsync(path, body, _token, responseType, cancel).ConfigureAwait(false);
        }
        catch (EtcdRefusedException refused) when (_options.User is not null && refused.IsStaleToken)
        {
            await AuthenticateAsync(_token, cancel).ConfigureAwait(false);
            return await PostAnywhereAsync(path, body, _token, responseType, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Gets a token for the configured user unless another call already replaced <paramref name="stale"/>.</summary>
    private async Task AuthenticateAsync(string? stale, CancellationToken cancel)
    {
        await _authenticating.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (_token != stale) return;
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new AuthenticateRequest(_options.User!, _options.Password ?? ""), Json.AuthenticateRequest);
            AuthenticateResponse response = await PostAnywhereAsync("/v3/auth/authenticate", body, null, Json.AuthenticateResponse, cancel).ConfigureAwait(false);
            _token = response.Token ?? throw new EtcdRefusedException($"etcd gave no token for user {_options.User}; check that authentication is enabled (etcdctl auth enable)", 0);
        }
        finally
        {
            _authenticating.Release();
        }
    }

    /// <summary>Tries each endpoint once, starting with the last one that answered.</summary>
    private async Task<TResponse> PostAnywhereAsync<TResponse>(string path, byte[] body, string? token, JsonTypeInfo<TResponse> responseType, CancellationToken cancel)
    {
        var failures = new List<string>();
        int start = Volatile.Read(ref _current);
        for (int i = 0; i < _options.Endpoints.Length; i++)
        {
            int index = (start + i) % _options.Endpoints.Length;
            Uri endpoint = _options.Endpoints[index];
            try
            {
                TResponse response = await PostAsync(endpoint, path, body, token, responseType, cancel).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return response;
            }
            catch (EndpointDownException down)
            {
                failures.Add($"{endpoint.GetLeftPart(UriPartial.Authority)} ({down.Message})");
            }
        }
        throw new EtcdUnavailableException($"cannot reach etcd at {string.Join(", ", failures)}; check that etcd runs and the endpoints (--etcd, endpoints in rekernel.conf's [fleet]) and TLS files are right.");
    }

    private async Task<TResponse> PostAsync<TResponse>(Uri endpoint, string path, byte[] body, string? token, JsonTypeInfo<TResponse> responseType, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.RequestTimeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path)) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null) message.Headers.TryAddWithoutValidation("Authorization", token);
        Interlocked.Increment(ref _requests);
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            byte[] text = await FirstMessageAsync(response, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return Parse(text, responseType, endpoint, path);
            ErrorResponse? error = TryParse(text, Json.ErrorResponse);
            string why = error?.Message ?? error?.Error ?? $"HTTP {(int)response.StatusCode}";
            // gRPC's Unavailable (14) and DeadlineExceeded (4): this member has no leader or is shutting down; another may answer.
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable || error?.Code is 14 or 4) throw new EndpointDownException(why);
            throw new EtcdRefusedException($"etcd at {endpoint.GetLeftPart(UriPartial.Authority)} refused {path}: {why}", error?.Code ?? 0);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new EndpointDownException($"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new EndpointDownException(ex.InnerException is AuthenticationException tls
                ? $"the TLS handshake failed: {tls.Message.TrimEnd('.')}"
                : ex.HttpRequestError == HttpRequestError.SecureConnectionError ? "the TLS handshake failed (wrong CA, client certificate or key?)"
                : _options.CertFile is not null && RefusedCertificate(Innermost(ex))
                    ? "etcd closed the connection, as it does when it does not accept the client certificate: is it signed by a CA in etcd's --trusted-ca-file?"
                    : Innermost(ex).Message.TrimEnd('.'));
        }
        catch (IOException ex)
        {
            throw new EndpointDownException(ex.Message.TrimEnd('.'));
        }
    }

    /// <summary>
    /// Whether etcd ended the connection over the client's certificate. Under TLS 1.3 the client's handshake ends
    /// before etcd checks the certificate; etcd then sends a certificate alert and closes, and the client sees
    /// whichever arrives first: the alert, or the reset.
    /// </summary>
    private static bool RefusedCertificate(Exception cause) => cause switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => true,
        CryptographicException { HResult: var code } => IsCertificateAlert(code),
        _ => false,
    };

    /// <summary>
    /// Whether an OpenSSL error code is a TLS alert the server sent about the client's certificate (bad_certificate 42,
    /// certificate_unknown 46, unknown_ca 48, certificate_required 116). OpenSSL reports a received alert as the SSL
    /// library's (20) reason 1000 + the alert; the library sits at bit 23 in OpenSSL 3's codes, at bit 24 in 1.1's.
    /// </summary>
    internal static bool IsCertificateAlert(int code) =>
        (((code >> 23) & 0xFF) == 20 || ((code >> 24) & 0xFF) == 20) && (code & 0xFFF) - 1000 is 42 or 46 or 48 or 116;

    /// <summary>The cause under HttpClient's generic "an error occurred while sending the request".</summary>
    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    /// <summary>The response body up to its first newline: streaming endpoints (keep-alive) send one JSON message per line.</summary>
    private static async Task<byte[]> FirstMessageAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        using Stream stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            int newline = Array.IndexOf(chunk, (byte)'\n', 0, read);
            buffer.Write(chunk, 0, newline < 0 ? read : newline);
            if (newline >= 0) break;
        }
        return buffer.ToArray();
    }

    private static TResponse Parse<TResponse>(byte[] text, JsonTypeInfo<TResponse> type, Uri endpoint, string path) =>
        TryParse(text, type) ?? throw new EtcdRefusedException(
            $"{endpoint.GetLeftPart(UriPartial.Authority)}{path} answered something that is not etcd's JSON ({Encoding.UTF8.GetString(text.AsSpan(0, Math.Min(text.Length, 80)))}); check that the endpoint is an etcd client URL", 0);

    private static T? TryParse<T>(byte[] text, JsonTypeInfo<T> type)
    {
        try
        {
            return text.Length == 0 ? default : JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static SocketsHttpHandler Handler(EtcdOptions options)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        if (options.CertFile is { } cert)
            handler.SslOptions.ClientCertificates = [LoadClientCertificate(cert, options.KeyFile ?? cert)];
        if (options.CaFile is { } ca)
        {
            X509Certificate2Collection roots = LoadCa(ca);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && ChainsTo(certificate, roots);
        }
        return handler;
    }

    private static bool ChainsTo(X509Certificate certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            ThrowHelper.Usage($"cannot read the etcd CA certificate {path} ({ex.Message.TrimEnd('.')}); give a PEM file with --etcd-ca or ca in rekernel.conf's [fleet].");
        }
        if (roots.Count == 0) ThrowHelper.Usage($"{path} holds no PEM certificate; give the CA that signed etcd's server certificate with --etcd-ca.");
        return roots;
    }

    private static X509Certificate2 LoadClientCertificate(string cert, string key)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new RekernelException(ExitCode.Usage, $"cannot load the etcd client certificate {cert} with key {key} ({ex.Message.TrimEnd('.')}); give PEM files with --etcd-cert and --etcd-key.", ex);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _authenticating.Dispose();
    }

    /// <summary>One endpoint did not answer usefully; the next is tried.</summary>
    private sealed class EndpointDownException(string message) : Exception(message);
}
