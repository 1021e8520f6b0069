namespace ActorMessaging.Gateway.Security;

/// <summary>Who may call the gateway (<c>ActorMessaging:Auth</c>); checked at start-up by <see cref="GatewayAuthOptionsValidator"/>.</summary>
public sealed class GatewayAuthOptions
{
    public const string SectionName = "ActorMessaging:Auth";

    /// <summary>
    /// <c>None</c>, <c>Keys</c>, <c>Jwt</c> or <c>KeysAndJwt</c>. Default: <c>None</c> in the Development environment;
    /// elsewhere there is no default and the host does not start until it is set.
    /// </summary>
    public GatewayAuthMode? Mode { get; set; }

    /// <summary>Must be true for <c>Mode=None</c> outside Development (the host then logs a warning). Default false.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>The API keys (<c>Keys</c>, <c>KeysAndJwt</c>). Default: none.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>JWT validation (<c>Jwt</c>, <c>KeysAndJwt</c>).</summary>
    public JwtAuthOptions Jwt { get; set; } = new();

    /// <summary>True when every caller may do everything.</summary>
    internal bool IsOpen => Mode is null or GatewayAuthMode.None;

    internal bool AcceptsKeys => Mode is GatewayAuthMode.Keys or GatewayAuthMode.KeysAndJwt;

    internal bool AcceptsJwt => Mode is GatewayAuthMode.Jwt or GatewayAuthMode.KeysAndJwt;
}
