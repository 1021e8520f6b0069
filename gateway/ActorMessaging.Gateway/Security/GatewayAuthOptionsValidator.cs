using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>Stops the host at start-up on an unsafe or malformed <c>ActorMessaging:Auth</c> setting; every message names the key.</summary>
internal sealed class GatewayAuthOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<GatewayAuthOptions>
{
    public const int MinKeyLength = 16;
    public const int MinSigningKeyBytes = 32;
    private const string Section = GatewayAuthOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GatewayAuthOptions options)
    {
        var errors = new List<string>();
        switch (options.Mode)
        {
            case null:
                errors.Add($"{Section}:Mode is not set, and only the Development environment defaults to None (this is '{environment.EnvironmentName}'). "
                    + $"Set it to Keys ({Section}:ApiKeys), Jwt ({Section}:Jwt) or KeysAndJwt; or to None with {Section}:AllowAnonymous=true to run without authentication.");
                break;
            case GatewayAuthMode.None when !environment.IsDevelopment() && !options.AllowAnonymous:
                errors.Add($"{Section}:Mode is None in the '{environment.EnvironmentName}' environment: every caller could publish, consume and delete everything. "
                    + $"Set {Section}:AllowAnonymous=true to run so anyway, or choose Keys, Jwt or KeysAndJwt.");
                break;
            case { } mode when !Enum.IsDefined(mode):
                errors.Add($"{Section}:Mode must be None, Keys, Jwt or KeysAndJwt, was '{mode}'.");
                break;
        }

        // Checked here, before the server starts, so it is one line at start-up; LoopbackOnlyGuard checks what was bound.
        if (options.IsOpen && !options.AllowAnonymous && ConfiguredAddresses.Of(configuration).Where(a => !LoopbackOnlyGuard.IsLoopback(a)).ToList() is { Count: > 0 } open)
        {
            errors.Add(LoopbackOnlyGuard.OpenBeyondLoopback(open));
        }

        ValidateKeys(options, errors);
        ValidateJwt(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateKeys(GatewayAuthOptions options, List<string> errors)
    {
        if (options.AcceptsKeys && options.ApiKeys.Count == 0)
        {
            errors.Add($"{Section}:ApiKeys must list at least one key ({Section}:ApiKeys:0:Key, :Name, :Permissions) when {Section}:Mode is {options.Mode}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"{Section}:ApiKeys:{i}";
            if (key.Key is null || key.Key.Trim().Length < MinKeyLength)
            {
                errors.Add($"{at}:Key must be at least {MinKeyLength} characters (generate one with 'openssl rand -base64 32').");
            }
            else if (!keys.Add(key.Key))
            {
                errors.Add($"{at}:Key is the same as another key's.");
            }

            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"{at}:Name is required: it names the caller in logs and limits.");
            }
            else if (!names.Add(key.Name))
            {
                errors.Add($"{at}:Name '{key.Name}' is used by another key.");
            }

            for (var j = 0; j < key.Permissions.Count; j++)
            {
                if (!Permission.TryParse(key.Permissions[j], out _))
                {
                    errors.Add($"{at}:Permissions:{j} '{key.Permissions[j]}' is not a permission: use admin, metrics, publish:<pattern> or subscribe:<pattern>, "
                        + "where the pattern is a topic name, a name prefix ending in *, or *.");
                }
            }
        }
    }

    private static void ValidateJwt(GatewayAuthOptions options, List<string> errors)
    {
        var jwt = options.Jwt;
        if (options.AcceptsJwt && string.IsNullOrWhiteSpace(jwt.SigningKey) && string.IsNullOrWhiteSpace(jwt.Authority))
        {
            errors.Add($"{Section}:Jwt:SigningKey or {Section}:Jwt:Authority is required when {Section}:Mode is {options.Mode}.");
        }

        try
        {
            if (jwt.SigningKeyBytes() is { Length: < MinSigningKeyBytes } bytes)
            {
                errors.Add($"{Section}:Jwt:SigningKey must be at least {MinSigningKeyBytes} bytes (256 bits), was {bytes.Length}.");
            }
        }
        catch (FormatException)
        {
            errors.Add($"{Section}:Jwt:SigningKey is not valid base64 after '{JwtAuthOptions.Base64Prefix}'.");
        }

        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && jwt.RequireHttpsMetadata))
            {
                errors.Add($"{Section}:Jwt:Authority must be an absolute https URL (http only with {Section}:Jwt:RequireHttpsMetadata=false), was '{jwt.Authority}'.");
            }

            if (string.IsNullOrWhiteSpace(jwt.Audience))
            {
                errors.Add($"{Section}:Jwt:Audience is required with {Section}:Jwt:Authority, or tokens the provider issued for other applications would be accepted.");
            }
        }
    }
}
