using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ActorMessaging.Client;

/// <summary>
/// The gateway's HTTP API under <c>/v1</c>: JSON requests with the credential, problem details turned into
/// <see cref="ActorMessagingException"/>s, transient failures retried by the <see cref="RetryPolicy"/>. Each try goes to
/// the current gateway of <see cref="GatewayEndpoints"/>; a try that finds it unreachable moves the next one on.
/// </summary>
internal sealed class GatewayHttp : IDisposable
{
    private const string ApiKeyHeader = "X-Api-Key";

    private readonly HttpClient _http;
    private readonly ActorMessagingClientOptions _options;
    private readonly GatewayEndpoints _endpoints;

    public GatewayHttp(GatewayEndpoints endpoints, ActorMessagingClientOptions options, RetryPolicy retry, HttpMessageHandler? handler = null)
    {
        _endpoints = endpoints;
        _options = options;
        Retry = retry;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);

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
            var endpoint = _endpoints.Current;
            using var request = new HttpRequestMessage(method, new Uri(endpoint, path));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, WireJson.Options.GetTypeInfo<TRequest>());
            }

            try
            {
                return await SendOnceAsync<TResponse>(request, operation, token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ActorMessagingException failure
                ? GatewayEndpoints.IsGatewayFailure(failure)
                : exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Unreachable, unavailable, or no answer within the try timeout (the policy reports that as Timeout).
                _endpoints.ReportFailure(endpoint);
                throw;
            }
        }, cancellationToken, extraTime, operation);

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
