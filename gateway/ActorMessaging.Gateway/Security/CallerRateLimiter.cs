using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// One token bucket per caller (<see cref="CallerIdentity"/>), shared by HTTP requests (through the ASP.NET Core rate
/// limiting middleware) and hub method calls (<see cref="HubAccessFilter"/>). Idle buckets are dropped by the
/// partitioned limiter, so callers that come and go cost nothing.
/// </summary>
internal sealed class CallerRateLimiter : IDisposable
{
    /// <summary>The partition key of requests that are never limited (health, OpenAPI, dashboard, console).</summary>
    private const string Unlimited = "";

    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerRateLimiter(IOptions<GatewayLimitsOptions> options)
    {
        Options = options.Value.RateLimit;
        var rate = Options;
        var (tokens, period) = rate.Enabled ? rate.Refill() : (1, TimeSpan.FromSeconds(1));
        _limiter = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited || !rate.Enabled
            ? RateLimitPartition.GetNoLimiter(Unlimited)
            : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate.EffectiveBurst,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public GatewayRateLimitOptions Options { get; }

    /// <summary>Takes one permit for <paramref name="caller"/>; the lease says whether it was granted.</summary>
    public RateLimitLease Acquire(string caller) => _limiter.AttemptAcquire(caller);

    /// <summary>The same buckets keyed by request: callers of the HTTP API and the hub endpoints; every other request is unlimited.</summary>
    public PartitionedRateLimiter<HttpContext> ForHttp() => _limiter.WithTranslatedKey<HttpContext>(
        context => IsLimited(context.Request) ? CallerIdentity.Of(context) : Unlimited, leaveOpen: true);

    /// <summary>Whole seconds to wait before retrying after <paramref name="lease"/> was refused; at least 1.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

    public string Describe(string caller, int retryAfterSeconds) => string.Create(CultureInfo.InvariantCulture,
        $"Caller '{caller}' sent more than {Options.PermitsPerSecond} requests per second (burst {Options.EffectiveBurst}); retry after {retryAfterSeconds} s.");

    private static bool IsLimited(HttpRequest request) =>
        request.Path.StartsWithSegments(GatewayAccessRules.ApiPrefix, StringComparison.OrdinalIgnoreCase) || GatewayAuthSchemes.IsHubRequest(request);

    public void Dispose() => _limiter.Dispose();
}
