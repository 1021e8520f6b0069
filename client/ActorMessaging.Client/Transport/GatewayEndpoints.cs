using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMessaging.Client;

/// <summary>
/// The gateway addresses of a client and the one in use: every call goes to <see cref="Current"/>, which stays the same
/// while it works (sticky) and moves to the next address, round-robin, when a call finds it unreachable. Shared by the
/// client's HTTP calls, its publishers' hub connection and its processors' connections, so what one learns the others
/// use. Thread-safe.
/// </summary>
internal sealed class GatewayEndpoints
{
    private readonly Uri[] _all;
    private readonly ILogger _logger;
    private int _current;

    /// <param name="endpoints">One or more absolute http(s) base addresses; duplicates are dropped, the order is kept.</param>
    /// <param name="logger">Where moving on is logged.</param>
    /// <exception cref="ArgumentException">None given, or one is not an absolute http(s) URI.</exception>
    public GatewayEndpoints(IEnumerable<Uri> endpoints, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(endpoints);
        _all = [.. endpoints.Select(NormalizeEndpoint).Distinct()];
        if (_all.Length == 0)
        {
            throw new ArgumentException("At least one gateway endpoint is required.", nameof(endpoints));
        }
    }

    /// <summary>Every address, in the order given.</summary>
    public IReadOnlyList<Uri> All => _all;

    /// <summary>The address the next call goes to.</summary>
    public Uri Current => _all[Volatile.Read(ref _current)];

    /// <summary>
    /// True for the errors that say the gateway itself could not serve the call: it could not be reached, the connection
    /// was lost, it answered 502/503 (<see cref="ErrorCode.Unavailable"/>), or it did not answer in time
    /// (<see cref="ErrorCode.Timeout"/>). Another gateway may serve the retry.
    /// </summary>
    public static bool IsGatewayFailure(ActorMessagingException exception) =>
        exception.Code is ErrorCode.Unavailable or ErrorCode.Timeout;

    /// <summary>
    /// Moves on to the address after <paramref name="failed"/> when <paramref name="failed"/> is the current one; when the
    /// current one already moved (another caller saw the same failure first), nothing changes.
    /// </summary>
    public void ReportFailure(Uri failed)
    {
        var index = Array.IndexOf(_all, failed);
        if (index >= 0 && _all.Length > 1 && Interlocked.CompareExchange(ref _current, (index + 1) % _all.Length, index) == index)
        {
            ClientLog.MovedOn(_logger, failed, _all[(index + 1) % _all.Length]);
        }
    }

    /// <summary>An absolute http(s) base address ending in '/', so that relative paths append to it.</summary>
    internal static Uri NormalizeEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The endpoint must be an absolute http or https URI, was '{endpoint}'.", nameof(endpoint));
        }

        // A base address ends in '/', or relative paths would replace its last segment.
        return endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.GetLeftPart(UriPartial.Path) + "/");
    }
}
