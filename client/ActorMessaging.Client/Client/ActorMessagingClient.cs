using System.Collections.Concurrent;

namespace ActorMessaging.Client;

/// <summary>
/// The entry point of the SDK: one per application, thread-safe, long-lived. It holds one hub connection to a gateway
/// for its publishers (opened on first use and again after it was lost) and an HTTP client for pulls and lease
/// renewal; each processor has a connection of its own. Given several gateway endpoints, calls go to one of them while
/// it works and move to the next when it cannot be reached.
/// </summary>
/// <example>
/// <code>
/// await using var client = new ActorMessagingClient(new Uri("http://127.0.0.1:5080"));
/// await using var publisher = client.CreatePublisher("orders");
/// long sequence = await publisher.PublishAsync(ActorMessage.FromJson(new { total = 42 }));
/// </code>
/// </example>
public sealed class ActorMessagingClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<object, byte> _children = new(ReferenceEqualityComparer.Instance);
    private int _disposed;

    /// <summary>Creates a client of the gateway at <paramref name="endpoint"/>; nothing connects until first use.</summary>
    /// <param name="endpoint">The gateway's base address, for example <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="options">Credential, retry policy and time-outs; the defaults when null. The client keeps a copy.</param>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http(s) URI, or the options contradict each other.</exception>
    public ActorMessagingClient(Uri endpoint, ActorMessagingClientOptions? options = null)
        : this([endpoint ?? throw new ArgumentNullException(nameof(endpoint))], options, random: null)
    {
    }

    /// <summary>
    /// Creates a client of several gateways of one cluster; nothing connects until first use. Calls go to the first
    /// endpoint and stay with an endpoint while it works. When a call finds it unreachable (connection refused or lost,
    /// HTTP 502/503, no answer within <see cref="ActorMessagingRetryOptions.TryTimeout"/>), its retry and every later call
    /// go to the next endpoint, round-robin; a processor whose connection closes reconnects to the next endpoint.
    /// </summary>
    /// <param name="endpoints">One or more gateway base addresses, for example <c>http://gw-1:5080</c> and <c>http://gw-2:5080</c>; duplicates are ignored.</param>
    /// <param name="options">Credential, retry policy and time-outs; the defaults when null. The client keeps a copy.</param>
    /// <exception cref="ArgumentException">No endpoint, an endpoint that is not an absolute http(s) URI, or options that contradict each other.</exception>
    public ActorMessagingClient(IEnumerable<Uri> endpoints, ActorMessagingClientOptions? options = null)
        : this(endpoints, options, random: null)
    {
    }

    internal ActorMessagingClient(IEnumerable<Uri> endpoints, ActorMessagingClientOptions? options, Func<double>? random)
    {
        Options = (options ?? new ActorMessagingClientOptions()).Validated();
        Gateways = new GatewayEndpoints(endpoints, Options.Logger);
        Retry = new RetryPolicy(Options.Retry, Options.TimeProvider, random, Options.Logger);
        Http = new GatewayHttp(Gateways, Options, Retry);
        Hub = new GatewayHub(Gateways, Options);
    }

    /// <summary>The first gateway base address (the only one when the client was created with one).</summary>
    public Uri Endpoint => Gateways.All[0];

    /// <summary>Every gateway base address, in the order they are tried.</summary>
    public IReadOnlyList<Uri> Endpoints => Gateways.All;

    /// <summary>True once the client was disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _disposed) != 0;

    internal GatewayEndpoints Gateways { get; }

    internal ActorMessagingClientOptions Options { get; }

    internal RetryPolicy Retry { get; }

    internal GatewayHttp Http { get; }

    internal GatewayHub Hub { get; }

    /// <summary>Creates a publisher for <paramref name="topic"/>. Publishers are cheap and share the client's connection.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="options">Batching; the defaults when null.</param>
    /// <returns>The publisher; dispose it (or the client) to send what is queued and close it.</returns>
    /// <exception cref="ActorMessagingException">The name is not valid (<see cref="ErrorCode.InvalidName"/>).</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public ActorMessagingPublisher CreatePublisher(string topic, ActorMessagingPublisherOptions? options = null)
    {
        ThrowIfClosed();
        CheckName("topic", topic);
        return Track(new ActorMessagingPublisher(this, topic, (options ?? new ActorMessagingPublisherOptions()).Clone()));
    }

    /// <summary>Creates a processor that pushes the messages of a durable subscription to handlers; start it with <see cref="ActorMessagingProcessor.StartProcessingAsync"/>.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name (created beforehand, e.g. with <see cref="ActorMessagingAdministrationClient"/>).</param>
    /// <param name="options">Concurrency, prefetch, auto-ack and lease renewal; the defaults when null.</param>
    /// <returns>The processor.</returns>
    /// <exception cref="ActorMessagingException">A name is not valid (<see cref="ErrorCode.InvalidName"/>).</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public ActorMessagingProcessor CreateProcessor(string topic, string subscription, ActorMessagingProcessorOptions? options = null)
    {
        ThrowIfClosed();
        CheckName("topic", topic);
        CheckName("subscription", subscription);
        return Track(new ActorMessagingProcessor(this, topic, subscription, (options ?? new ActorMessagingProcessorOptions()).Clone()));
    }

    /// <summary>Creates a receiver that pulls from a durable subscription over HTTP and settles what it pulled.</summary>
    /// <param name="topic">The topic's name.</param>
    /// <param name="subscription">The subscription's name.</param>
    /// <returns>The receiver.</returns>
    /// <exception cref="ActorMessagingException">A name is not valid (<see cref="ErrorCode.InvalidName"/>).</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public ActorMessagingReceiver CreateReceiver(string topic, string subscription)
    {
        ThrowIfClosed();
        CheckName("topic", topic);
        CheckName("subscription", subscription);
        return new ActorMessagingReceiver(this, topic, subscription);
    }

    /// <summary>
    /// Closes everything the client created: processors stop (in-flight handlers finish and are acked), publishers send
    /// what they have queued, then the connections close. Later use of the client or anything it created throws
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var children = _children.Keys.ToList();
        var processors = children.OfType<ActorMessagingProcessor>().Select(p => p.CloseAsync());
        var publishers = children.OfType<ActorMessagingPublisher>().Select(p => p.CloseAsync(CancellationToken.None));
        try
        {
            await Task.WhenAll(processors.Concat(publishers)).ConfigureAwait(false);
        }
        finally
        {
            _children.Clear();
            await Hub.DisposeAsync().ConfigureAwait(false);
            Http.Dispose();
        }
    }

    /// <summary>Throws <see cref="ActorMessagingException"/> with <see cref="ErrorCode.InvalidName"/> unless <paramref name="name"/> is valid.</summary>
    internal static void CheckName(string what, string name)
    {
        if (!EntityNames.IsValid(name))
        {
            throw new ActorMessagingException(ErrorCode.InvalidName, $"'{name}' is not a valid {what} name: it must match {EntityNames.Pattern}.");
        }
    }

    internal void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);

    internal void Forget(object child) => _children.TryRemove(child, out _);

    private T Track<T>(T child)
        where T : notnull
    {
        _children[child] = 0;
        if (IsClosed)
        {
            // Disposed while this child was being created: it must not outlive the client.
            _children.TryRemove(child, out _);
            if (child is IAsyncDisposable disposable)
            {
                _ = disposable.DisposeAsync().AsTask();
            }

            throw new ObjectDisposedException(nameof(ActorMessagingClient));
        }

        return child;
    }
}
