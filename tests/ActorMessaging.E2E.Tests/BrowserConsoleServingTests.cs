using System.Net;
using System.Net.Http.Headers;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The console's files come from the gateway assembly (the host's content root is an empty folder), with
/// headers that keep message text from ever running as script.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserConsoleServingTests(BrowserFixture fixture)
{
    private HttpClient Http => fixture.Host.Http;

    [Fact]
    public async Task Root_ServesTheConsolePage_WithAContentSecurityPolicy()
    {
        using var response = await Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<title>ActorMessaging console</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("console/js/app.js", "text/javascript")]
    [InlineData("console/console.css", "text/css")]
    [InlineData("console/favicon.svg", "image/svg+xml")]
    [InlineData("console/vendor/signalr.min.js", "text/javascript")]
    [InlineData("console/vendor/signalr-protocol-msgpack.min.js", "text/javascript")]
    public async Task Assets_AreServedWithTheirMediaType(string path, string mediaType)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("console/vendor/signalr.min.js", "/*! @microsoft/signalr 10.")]
    [InlineData("console/vendor/signalr-protocol-msgpack.min.js", "/*! @microsoft/signalr-protocol-msgpack 10.")]
    public async Task VendoredSignalRClient_KeepsItsLicenseHeader(string path, string header)
    {
        var script = await Http.GetStringAsync(path);

        Assert.StartsWith(header, script, StringComparison.Ordinal);
        Assert.Contains("MIT license", script, StringComparison.Ordinal);
        Assert.DoesNotContain("//# sourceMappingURL", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("console/missing.js")]
    [InlineData("console/index.html")]
    [InlineData("console/")]
    public async Task UnknownAssets_AreNotFound(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Assets_Revalidate_WithTheirETag()
    {
        using var first = await Http.GetAsync("console/js/app.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "console/js/app.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var second = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
