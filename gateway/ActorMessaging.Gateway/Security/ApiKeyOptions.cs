namespace ActorMessaging.Gateway.Security;

/// <summary>One API key (<c>ActorMessaging:Auth:ApiKeys:{n}</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The secret the client sends; at least 16 characters (e.g. <c>openssl rand -base64 32</c>). Required; never commit it.</summary>
    public string? Key { get; set; }

    /// <summary>Who holds the key: shown in logs, and the caller identity for rate limits and connection limits. Required, unique.</summary>
    public string? Name { get; set; }

    /// <summary>What the key may do: <c>admin</c>, <c>publish:{pattern}</c>, <c>subscribe:{pattern}</c>. Default: none.</summary>
    public List<string> Permissions { get; set; } = [];
}
