namespace ActorMessaging.Gateway.Security;

/// <summary>How JWT bearer tokens are validated (<c>ActorMessaging:Auth:Jwt</c>). Set <see cref="SigningKey"/> or <see cref="Authority"/>.</summary>
public sealed class JwtAuthOptions
{
    /// <summary>The prefix that marks <see cref="SigningKey"/> as base64.</summary>
    public const string Base64Prefix = "base64:";

    /// <summary>
    /// Symmetric HMAC key: its UTF-8 bytes, or <c>base64:…</c> for bytes given as base64; at least 32 bytes either way.
    /// Default: none. Never commit it; pass it through the environment (<c>ActorMessaging__Auth__Jwt__SigningKey</c>) or a secret store.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The required <c>iss</c>. Default: not checked with a signing key; the authority's issuer with an authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c>. Default: not checked with a signing key; required with an authority.</summary>
    public string? Audience { get; set; }

    /// <summary>OpenID Connect issuer URL whose signing keys are fetched from its discovery document. Default: none.</summary>
    public string? Authority { get; set; }

    /// <summary>Whether the authority must be https. Default true; false only for a local identity provider.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The bytes of <see cref="SigningKey"/>, or null when none is set; throws <see cref="FormatException"/> for bad base64.</summary>
    internal byte[]? SigningKeyBytes() => SigningKey switch
    {
        null or "" => null,
        var key when key.StartsWith(Base64Prefix, StringComparison.Ordinal) => Convert.FromBase64String(key[Base64Prefix.Length..]),
        var key => System.Text.Encoding.UTF8.GetBytes(key),
    };
}
