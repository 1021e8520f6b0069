using System.Globalization;
using System.Runtime.CompilerServices;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>
/// Manages topics, subscriptions and dead letters over the gateway's HTTP API (<c>/v1</c>). Thread-safe, one per
/// application. Most operations need the <c>admin</c> permission when the gateway authenticates; reading a topic or a
/// subscription needs <c>publish:</c> or <c>subscribe:</c> on the topic, and seeking a subscription <c>subscribe:</c>.
/// </summary>
public sealed class ActorMessagingAdministrationClient : IDisposable
{
    private readonly GatewayEndpoints _endpoints;
    private readonly GatewayHttp _http;
    private int _disposed;

    /// <summary>Creates an administration client of the gateway at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The gateway's base address, for example <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="options">Credential, retry policy and time-outs; the defaults when null. The client keeps a copy.</param>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http(s) URI, or the options contradict each other.</exception>
    public ActorMessagingAdministrationClient(Uri endpoint, ActorMessagingClientOptions? options = null)
        : this([endpoint ?? throw new ArgumentNullException(nameof(endpoint))], options)
    {
    }

    /// <summary>
    /// Creates an administration client of several gateways of one cluster: calls go to one while it works and move to
    /// the next when it cannot be reached, as with <see cref="ActorMessagingClient(IEnumerable{Uri}, ActorMessagingClientOptions?)"/>.
    /// </summary>
    /// <param name="endpoints">One or more gateway base addresses; duplicates are ignored.</param>
    /// <param name="options">Credential, retry policy and time-outs; the defaults when null. The client keeps a copy.</param>
    /// <exception cref="ArgumentException">No endpoint, an endpoint that is not an absolute http(s) URI, or options that contradict each other.</exception>
    public ActorMessagingAdministrationClient(IEnumerable<Uri> endpoints, ActorMessagingClientOptions? options = null)
    {
        var validated = (options ?? new ActorMessagingClientOptions()).Validated();
        _endpoints = new GatewayEndpoints(endpoints, validated.Logger);
        _http = new GatewayHttp(_endpoints, validated, new RetryPolicy(validated.Retry, validated.TimeProvider, logger: validated.Logger));
    }

    /// <summary>The first gateway base address (the only one when the client was created with one).</summary>
    public Uri Endpoint => _endpoints.All[0];

    /// <summary>Every gateway base address, in the order they are tried.</summary>
    public IReadOnlyList<Uri> Endpoints => _endpoints.All;

    /// <summary>
    /// Creates a topic, or replaces its settings when it exists (fields left null take their defaults), together with the
    /// subscriptions <see cref="TopicConfiguration.Subscriptions"/> names, in one call.
    /// </summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="settings">Retention, maximum message size, duplicate-detection window, subscriptions to create or update; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The topic as stored.</returns>
    /// <exception cref="ActorMessagingException">For example <see cref="ErrorCode.InvalidSetting"/>.</exception>
    public async Task<TopicDescription> CreateOrUpdateTopicAsync(string topic, TopicConfiguration? settings = null, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<TopicConfiguration, TopicDescription>(HttpMethod.Put, TopicPath(topic), settings ?? new TopicConfiguration(), $"Create topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false));

    /// <summary>Reads a topic: settings, last sequence, subscription count.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="ActorMessagingException"><see cref="ErrorCode.TopicNotFound"/> when it does not exist.</exception>
    public async Task<TopicDescription> GetTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<TopicDescription>(HttpMethod.Get, TopicPath(topic), $"Get topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false));

    /// <summary>True when the topic exists.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>Whether it exists.</returns>
    public async Task<bool> TopicExistsAsync(string topic, CancellationToken cancellationToken = default)
    {
        try
        {
            await GetTopicAsync(topic, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ActorMessagingException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            return false;
        }
    }

    /// <summary>Lists topic names in ordinal order, page by page as they are enumerated.</summary>
    /// <param name="prefix">Only names that start with it; null for all.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The names.</returns>
    public async IAsyncEnumerable<string> GetTopicsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var query = $"v1/topics?pageSize=1000{Query("prefix", prefix)}{Query("pageToken", token)}";
            var page = Required(await _http.SendAsync<TopicList>(HttpMethod.Get, query, "List topics", Checked(cancellationToken)).ConfigureAwait(false));
            foreach (var name in page.Topics)
            {
                yield return name;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Deletes a topic with its subscriptions and messages.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once it is deleted.</returns>
    public Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        _http.SendAsync<object>(HttpMethod.Delete, TopicPath(topic), $"Delete topic '{topic}'", Checked(cancellationToken));

    /// <summary>Creates a subscription, or changes its settings when it exists (fields left null take their defaults; <c>startAt</c> applies only at creation).</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="settings">Start position, ack deadline, attempts, backoff, dead-lettering; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The subscription with its counters.</returns>
    /// <exception cref="ActorMessagingException">For example <see cref="ErrorCode.TopicNotFound"/> or <see cref="ErrorCode.InvalidSetting"/>.</exception>
    public async Task<SubscriptionDescription> CreateOrUpdateSubscriptionAsync(string topic, string subscription, SubscriptionConfiguration? settings = null, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<SubscriptionConfiguration, SubscriptionDescription>(
            HttpMethod.Put, SubscriptionPath(topic, subscription), settings ?? new SubscriptionConfiguration(), $"Create subscription '{subscription}' of topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false));

    /// <summary>Reads a subscription with its settings and fresh counters.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ActorMessagingException"><see cref="ErrorCode.SubscriptionNotFound"/> when it does not exist.</exception>
    public async Task<SubscriptionDescription> GetSubscriptionAsync(string topic, string subscription, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<SubscriptionDescription>(HttpMethod.Get, SubscriptionPath(topic, subscription), $"Get subscription '{subscription}' of topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false));

    /// <summary>A subscription's counters: backlog, in flight, dead-lettered, age of the oldest unacked message.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The counters at the time of the call.</returns>
    public async Task<SubscriptionStatistics> GetSubscriptionStatisticsAsync(string topic, string subscription, CancellationToken cancellationToken = default) =>
        (await GetSubscriptionAsync(topic, subscription, cancellationToken).ConfigureAwait(false)).Stats;

    /// <summary>Every subscription of a topic, with settings and counters, in ordinal name order.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The subscriptions.</returns>
    public async Task<IReadOnlyList<SubscriptionDescription>> GetSubscriptionsAsync(string topic, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<SubscriptionList>(HttpMethod.Get, $"{TopicPath(topic)}/subscriptions", $"List subscriptions of topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false)).Subscriptions;

    /// <summary>Deletes a subscription with its leases and dead letters.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once it is deleted.</returns>
    public Task DeleteSubscriptionAsync(string topic, string subscription, CancellationToken cancellationToken = default) =>
        _http.SendAsync<object>(HttpMethod.Delete, SubscriptionPath(topic, subscription), $"Delete subscription '{subscription}' of topic '{topic}'", Checked(cancellationToken));

    /// <summary>
    /// Moves a subscription's cursor to <paramref name="sequence"/> (replay, or skip ahead): earlier messages count as acked,
    /// this one and later ones are delivered again with fresh attempts, and leases in flight end. Needs <c>subscribe:</c> on
    /// the topic (not <c>admin</c>).
    /// </summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="sequence">A sequence the topic retains, or the next one it will assign (to skip everything published so far).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The subscription with its new counters.</returns>
    /// <exception cref="ActorMessagingException"><see cref="ErrorCode.InvalidArgument"/> for a sequence the topic does not retain; <see cref="ErrorCode.SubscriptionNotFound"/>.</exception>
    public Task<SubscriptionDescription> SeekSubscriptionAsync(string topic, string subscription, long sequence, CancellationToken cancellationToken = default) =>
        SeekAsync(topic, subscription, new SeekRequest { Sequence = sequence }, cancellationToken);

    /// <summary>
    /// Moves a subscription's cursor to the first message published at or after <paramref name="time"/>: earlier messages
    /// count as acked, later ones are delivered again with fresh attempts, and leases in flight end. Needs <c>subscribe:</c>
    /// on the topic (not <c>admin</c>).
    /// </summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="time">A time within the topic's retention.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The subscription with its new counters.</returns>
    /// <exception cref="ActorMessagingException"><see cref="ErrorCode.InvalidArgument"/> for a time outside the topic's retention; <see cref="ErrorCode.SubscriptionNotFound"/>.</exception>
    public Task<SubscriptionDescription> SeekSubscriptionAsync(string topic, string subscription, DateTimeOffset time, CancellationToken cancellationToken = default) =>
        SeekAsync(topic, subscription, new SeekRequest { Time = time }, cancellationToken);

    /// <summary>The subscription's dead letters in sequence order, page by page as they are enumerated.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The dead letters, each with why and after how many attempts.</returns>
    public async IAsyncEnumerable<DeadLetterMessage> GetDeadLettersAsync(string topic, string subscription, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var path = $"{SubscriptionPath(topic, subscription)}/deadletters?pageSize=1000{Query("pageToken", token)}";
            var page = Required(await _http.SendAsync<DeadLetterList>(HttpMethod.Get, path, $"List dead letters of subscription '{subscription}' of topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false));
            foreach (var letter in page.DeadLetters)
            {
                yield return letter;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Delivers dead letters again with fresh attempts: the given sequences, or all.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="sequences">The sequences of the dead letters to resubmit; null for all.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>How many went back into delivery.</returns>
    public async Task<int> ResubmitDeadLettersAsync(string topic, string subscription, IEnumerable<long>? sequences = null, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<ResubmitDeadLettersRequest, ResubmitDeadLettersResponse>(
            HttpMethod.Post,
            $"{SubscriptionPath(topic, subscription)}/deadletters/resubmit",
            new ResubmitDeadLettersRequest { Sequences = sequences?.ToList() },
            $"Resubmit dead letters of subscription '{subscription}' of topic '{topic}'",
            Checked(cancellationToken)).ConfigureAwait(false)).Resubmitted;

    /// <summary>Deletes every dead letter of the subscription.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeDeadLettersAsync(string topic, string subscription, CancellationToken cancellationToken = default) =>
        Required(await _http.SendAsync<PurgeDeadLettersResponse>(HttpMethod.Delete, $"{SubscriptionPath(topic, subscription)}/deadletters", $"Purge dead letters of subscription '{subscription}' of topic '{topic}'", Checked(cancellationToken)).ConfigureAwait(false)).Purged;

    /// <summary>Releases the HTTP client. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _http.Dispose();
        }
    }

    private async Task<SubscriptionDescription> SeekAsync(string topic, string subscription, SeekRequest target, CancellationToken cancellationToken) =>
        Required(await _http.SendAsync<SeekRequest, SubscriptionDescription>(
            HttpMethod.Post,
            $"{SubscriptionPath(topic, subscription)}/seek",
            target,
            $"Seek subscription '{subscription}' of topic '{topic}' to {(target.Sequence is { } sequence ? $"sequence {sequence.ToString(CultureInfo.InvariantCulture)}" : $"time {target.Time:O}")}",
            Checked(cancellationToken)).ConfigureAwait(false));

    private static string TopicPath(string topic)
    {
        ActorMessagingClient.CheckName("topic", topic);
        return GatewayHttp.TopicPath(topic);
    }

    private static string SubscriptionPath(string topic, string subscription)
    {
        ActorMessagingClient.CheckName("topic", topic);
        ActorMessagingClient.CheckName("subscription", subscription);
        return GatewayHttp.SubscriptionPath(topic, subscription);
    }

    private static string Query(string name, string? value) =>
        value is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"&{name}={Uri.EscapeDataString(value)}");

    private static T Required<T>(T? value)
        where T : class =>
        value ?? throw new ActorMessagingException(ErrorCode.Internal, "The gateway answered without a body.");

    private CancellationToken Checked(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return cancellationToken;
    }
}
