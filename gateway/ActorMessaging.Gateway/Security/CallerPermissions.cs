using System.Security.Claims;

namespace ActorMessaging.Gateway.Security;

/// <summary>The permissions of an authenticated caller, read from its claims (<see cref="GatewayClaims"/>).</summary>
internal sealed class CallerPermissions
{
    /// <summary>Everything: the caller of an open gateway (<c>Mode=None</c>).</summary>
    public static readonly CallerPermissions Everything = new([new Permission(TopicAccess.Admin, "*")]);

    private readonly Permission[] _grants;

    private CallerPermissions(Permission[] grants)
    {
        _grants = grants;
        IsAdmin = grants.Any(g => g.Access == TopicAccess.Admin);
    }

    public bool IsAdmin { get; }

    public bool IsEmpty => _grants.Length == 0;

    /// <summary>
    /// The permissions in <paramref name="user"/>'s <c>permissions</c> claims (an array, or space-separated), and in its
    /// <c>scope</c>/<c>scp</c> claims; values that are not permissions (<c>openid</c>) are ignored.
    /// </summary>
    public static CallerPermissions Of(ClaimsPrincipal? user)
    {
        var grants = new List<Permission>();
        foreach (var claim in user?.Claims ?? [])
        {
            if (claim.Type is GatewayClaims.Permissions or GatewayClaims.Scope or GatewayClaims.ScopeShort)
            {
                foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Permission.TryParse(value, out var permission))
                    {
                        grants.Add(permission.Value);
                    }
                }
            }
        }

        return new CallerPermissions([.. grants.Distinct()]);
    }

    public bool Allows(TopicAccess access, string? topic)
    {
        if (IsAdmin || access == TopicAccess.Authenticated)
        {
            return true;
        }

        if (access == TopicAccess.AnyTopic)
        {
            return _grants.Any(g => g.Access is TopicAccess.Publish or TopicAccess.Subscribe);
        }

        if (access == TopicAccess.Metrics)
        {
            return _grants.Any(g => g.Access == TopicAccess.Metrics);
        }

        if (topic is null || access == TopicAccess.Admin)
        {
            return false;
        }

        foreach (var grant in _grants)
        {
            // 'metrics' names no topic: it must not make every topic visible.
            if (grant.Access is TopicAccess.Publish or TopicAccess.Subscribe && (grant.Access == access || access == TopicAccess.Any) && grant.Matches(topic))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="topic"/> shows in this caller's topic list: any permission on it.</summary>
    public bool MaySee(string topic) => Allows(TopicAccess.Any, topic);

    /// <summary>
    /// The name prefixes a listing of <paramref name="requested"/> reads for this caller: the requested prefix narrowed to
    /// each grant, so names outside every grant are never read, and a prefix the caller could use to probe for other
    /// teams' topics (<c>?prefix=o</c> against <c>orders.*</c> only) reads only its own. An exact grant reads its name as
    /// a prefix; <see cref="MaySee"/> then drops the longer names.
    /// </summary>
    public IReadOnlyCollection<string> ListingPrefixes(string? requested)
    {
        requested ??= string.Empty;
        if (IsAdmin)
        {
            return [requested];
        }

        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var grant in _grants.Where(g => g.Access is TopicAccess.Publish or TopicAccess.Subscribe))
        {
            var wildcard = grant.Pattern.EndsWith('*');
            var granted = wildcard ? grant.Pattern[..^1] : grant.Pattern;
            if (granted.StartsWith(requested, StringComparison.Ordinal))
            {
                prefixes.Add(granted);
            }
            else if (wildcard && requested.StartsWith(granted, StringComparison.Ordinal))
            {
                prefixes.Add(requested);
            }
        }

        // A prefix inside another reads nothing the other does not.
        return [.. prefixes.Where(p => !prefixes.Any(q => q.Length < p.Length && p.StartsWith(q, StringComparison.Ordinal)))];
    }
}
