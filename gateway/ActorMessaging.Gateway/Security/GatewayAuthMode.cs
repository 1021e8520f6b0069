namespace ActorMessaging.Gateway.Security;

/// <summary>Which credentials the gateway accepts (<c>ActorMessaging:Auth:Mode</c>).</summary>
public enum GatewayAuthMode
{
    /// <summary>No authentication: every caller may do everything. The default in Development only; elsewhere it needs <c>AllowAnonymous=true</c>.</summary>
    None,

    /// <summary>API keys only (<c>X-Api-Key</c> header; <c>?api_key=</c> on the hub).</summary>
    Keys,

    /// <summary>JWT bearer tokens only (<c>Authorization: Bearer</c>; <c>?access_token=</c> on the hub).</summary>
    Jwt,

    /// <summary>Either an API key or a JWT bearer token.</summary>
    KeysAndJwt,
}
