namespace ActorMessaging.Gateway.Security;

/// <summary>The claims the gateway reads and writes.</summary>
internal static class GatewayClaims
{
    /// <summary>Permissions: a JSON array or a space-separated string in a JWT; one claim per permission for an API key.</summary>
    public const string Permissions = "permissions";

    /// <summary>OAuth scopes, space-separated; permissions found there count too.</summary>
    public const string Scope = "scope";

    /// <summary>Scopes as Microsoft Entra ID writes them.</summary>
    public const string ScopeShort = "scp";

    /// <summary>The JWT subject.</summary>
    public const string Subject = "sub";

    /// <summary>The OAuth client of a token without a subject (client credentials).</summary>
    public const string ClientId = "client_id";

    /// <summary>The authorized party, another name for the client.</summary>
    public const string AuthorizedParty = "azp";

    /// <summary>The API key's name.</summary>
    public const string KeyName = "am_key";
}
