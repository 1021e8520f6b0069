using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ActorMessaging.Client;

/// <summary>
/// The gateway's HTTP API under <c>/v1</c>: JSON requests with the credential, problem details turned into
/// <see cref="ActorMessagingException"/>s, transient failures retried by the <see cref="RetryPolicy"/>.
/// </summary>
internal sealed class GatewayHttp : IDisposable
{
    private const string ApiKeyHeader = "X-Api-Key";

    private readonly HttpClient _http;
    private readonly ActorMessagingClientOptions _options;

    public GatewayHttp(Uri endpoint, ActorMessagingClientOptions options, RetryPolicy retry, HttpMessageHandler? handler = null)
    {
        _options = options;
        Retry = retry;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = endpoint;

        // Each try has its own timeout (RetryPolicy); the client's own would cut long pulls short.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        if (options.ApiKey is { } key)
        {
            _http.DefaultRequestHeaders.Add(ApiKeyHeader, key);
        }
    }

    public RetryPolicy Retry { get; }

    /// <summary>The path of a topic, e.g. <c>v1/topics/orders</c> (names are checked, so they need no escaping).</summary>
    public static string TopicPath(string topic) => $"v1/topics/{Uri.EscapeDataString(topic)}";

    /// <summary>The path of a subscription, e.g. <c>v1/topics/orders/subscriptions/billing</c>.</summary>
    public static string SubscriptionPath(string topic, string subscription) =>
        $"{TopicPath(topic)}/subscriptions/{Uri.EscapeDataString(subscription)}";

    /// <summary>Sends a request with a JSON body (or none) and reads the JSON answer; 204 gives default.</summary>
    public Task<TResponse?> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, string operation, CancellationToken cancellationToken, TimeSpan? extraTime = null) =>
        Retry.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, WireJson.Options.GetTypeInfo<TRequest>());
            }

            return await SendOnceAsync<TResponse>(request, operation, token).ConfigureAwait(false);
        }, cancellationToken, extraTime);

    /// <summary>A request without a body.</summary>
    public Task<TResponse?> SendAsync<TResponse>(HttpMethod method, string path, string operation, CancellationToken cancellationToken) =>
        SendAsync<object, TResponse>(method, path, null, operation, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<TResponse?> SendOnceAsync<TResponse>(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        if (_options.AccessTokenProvider is { } provider && await provider(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw ClientErrors.FromTransport(exception, operation);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ClientErrors.FromResponseAsync(response, operation, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == System.Net.HttpStatusCode.NoContent || typeof(TResponse) == typeof(object))
            {
                return default;
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(WireJson.Options.GetTypeInfo<TResponse>(), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception)
            {
                throw ClientErrors.FromTransport(exception, operation);
            }
        }
    }
}
