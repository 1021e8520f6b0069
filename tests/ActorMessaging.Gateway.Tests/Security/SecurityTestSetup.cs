using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ActorMessaging.Gateway.Hubs;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Credentials, tokens and requests the security tests share.</summary>
internal static class SecurityTestSetup
{
    public const string PublisherKey = "publisher-key-0123456789abcdef";
    public const string ConsumerKey = "consumer-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string NoPermissionKey = "nothing-key-0123456789abcdef";
    public const string ConnectionsKey = "connections-key-0123456789abcdef";
    public const string Issuer = "https://issuer.test";
    public const string Audience = "actormessaging";
    public const string AllowedOrigin = "https://app.example.com";

    /// <summary>A fresh key per test run, given as base64 (the plain form is covered by the validation tests).</summary>
    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The production configuration of the shared security host: API keys and JWT, a CORS origin, two hub connections per caller, 2 MiB hub messages.</summary>
    public static Dictionary<string, string?> KeysAndJwt() => new()
    {
        ["ActorMessaging:Auth:Mode"] = "KeysAndJwt",
        ["ActorMessaging:Auth:ApiKeys:0:Key"] = PublisherKey,
        ["ActorMessaging:Auth:ApiKeys:0:Name"] = "orders-publisher",
        ["ActorMessaging:Auth:ApiKeys:0:Permissions:0"] = "publish:orders.*",
        ["ActorMessaging:Auth:ApiKeys:1:Key"] = ConsumerKey,
        ["ActorMessaging:Auth:ApiKeys:1:Name"] = "orders-consumer",
        ["ActorMessaging:Auth:ApiKeys:1:Permissions:0"] = "subscribe:orders.*",
        ["ActorMessaging:Auth:ApiKeys:2:Key"] = AdminKey,
        ["ActorMessaging:Auth:ApiKeys:2:Name"] = "ops",
        ["ActorMessaging:Auth:ApiKeys:2:Permissions:0"] = "admin",
        ["ActorMessaging:Auth:ApiKeys:3:Key"] = NoPermissionKey,
        ["ActorMessaging:Auth:ApiKeys:3:Name"] = "nobody",
        ["ActorMessaging:Auth:ApiKeys:4:Key"] = ConnectionsKey,
        ["ActorMessaging:Auth:ApiKeys:4:Name"] = "connections",
        ["ActorMessaging:Auth:ApiKeys:4:Permissions:0"] = "subscribe:*",
        ["ActorMessaging:Auth:Jwt:SigningKey"] = "base64:" + Convert.ToBase64String(SigningKey),
        ["ActorMessaging:Auth:Jwt:Issuer"] = Issuer,
        ["ActorMessaging:Auth:Jwt:Audience"] = Audience,
        ["ActorMessaging:Gateway:AllowedOrigins:0"] = AllowedOrigin,
        ["ActorMessaging:Gateway:MaxConnectionsPerClient"] = "2",
        ["ActorMessaging:Gateway:MaxHubMessageSize"] = "2097152",
    };

    /// <summary>An HS256 token; <paramref name="permissions"/> is a string array (JSON array claim) or a space-separated string.</summary>
    public static string Token(string subject, object permissions, TimeSpan? expiresIn = null, byte[]? key = null, string audience = Audience, string claim = "permissions")
    {
        var expires = DateTime.UtcNow + (expiresIn ?? TimeSpan.FromMinutes(10));
        var issued = expires - TimeSpan.FromMinutes(20);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject, [claim] = permissions },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Permissions as a JSON array claim.</summary>
    public static string[] Permissions(params string[] values) => values;

    public static Task<HttpResponseMessage> SendAsync(this HttpClient http, HttpMethod method, string path, string? apiKey = null, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HttpApi.Json);
        }

        return http.SendAsync(request);
    }

    /// <summary>Sends and asserts the status, returning the body text for messages.</summary>
    public static async Task<string> ExpectAsync(this Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>Creates a topic (and optionally a subscription) with the admin key.</summary>
    public static async Task CreateAsync(this HttpClient http, string topic, string? subscription = null)
    {
        await http.SendAsync(HttpMethod.Put, $"/v1/topics/{topic}", AdminKey, body: new { }).ExpectAsync(HttpStatusCode.Created);
        if (subscription is not null)
        {
            await http.SendAsync(HttpMethod.Put, $"/v1/topics/{topic}/subscriptions/{subscription}", AdminKey, body: new { }).ExpectAsync(HttpStatusCode.Created);
        }
    }

    public static object Batch(params string[] texts) => new { messages = texts.Select(text => new { data = text }).ToArray() };

    public static HubConnection Hub(Uri gateway, string query = "", Action<HttpConnectionOptions>? configure = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(gateway, MessagingHub.Path + query), options => configure?.Invoke(options))
            .Build();

    public static Action<HttpConnectionOptions> WithApiKey(string key) => options => options.Headers["X-Api-Key"] = key;
}
