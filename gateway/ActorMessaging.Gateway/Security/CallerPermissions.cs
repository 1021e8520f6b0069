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
            return !IsEmpty;
        }

        if (topic is null || access == TopicAccess.Admin)
        {
            return false;
        }

        foreach (var grant in _grants)
        {
            if ((grant.Access == access || access == TopicAccess.Any) && grant.Matches(topic))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="topic"/> shows in this caller's topic list: any permission on it.</summary>
    public bool MaySee(string topic) => Allows(TopicAccess.Any, topic);
}
