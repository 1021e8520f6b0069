using System.Net;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>CORS: configured origins get the headers on the HTTP API and (with credentials) on the hub; other origins get none.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityCorsTests(SecurityFixture fixture)
{
    [Fact]
    public async Task Preflight_FromAllowedOrigin_OnTheApi_GetsTheHeaders_WithoutCredentials()
    {
        using var response = await PreflightAsync("/v1/topics/orders.cors/messages", AllowedOrigin, "POST");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("x-api-key", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_FromAllowedOrigin_OnTheHub_AllowsCredentials()
    {
        using var response = await PreflightAsync("/hubs/messaging/negotiate?negotiateVersion=1", AllowedOrigin, "POST");

        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/v1/topics/orders.cors/messages")]
    [InlineData("/hubs/messaging/negotiate?negotiateVersion=1")]
    public async Task Preflight_FromOtherOrigin_GetsNoCorsHeaders(string path)
    {
        using var response = await PreflightAsync(path, "https://evil.example.net", "POST");

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task RefusedRequest_FromAllowedOrigin_IsReadableByTheBrowser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/topics");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("WWW-Authenticate", Header(response, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        return await fixture.Http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
