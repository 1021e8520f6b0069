using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Client.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var client = new ActorMessagingClientOptions();
        Assert.Null(client.ApiKey);
        Assert.Null(client.AccessTokenProvider);
        Assert.Equal(TimeSpan.FromSeconds(30), client.ConnectTimeout);
        Assert.Same(TimeProvider.System, client.TimeProvider);
        Assert.Equal(TimeSpan.FromSeconds(60), client.Retry.MaxElapsed);
        Assert.Null(client.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), client.Retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Retry.MaxDelay);
        Assert.Equal(0.2, client.Retry.Jitter);
        Assert.Equal(TimeSpan.FromSeconds(10), client.Retry.TryTimeout);

        var publisher = new ActorMessagingPublisherOptions();
        Assert.Equal(100, publisher.MaxBatchSize);
        Assert.Equal(TimeSpan.Zero, publisher.Linger);

        var processor = new ActorMessagingProcessorOptions();
        Assert.Equal(1, processor.MaxConcurrentCalls);
        Assert.Equal(100, processor.PrefetchCount);
        Assert.True(processor.AutoAck);
        Assert.Equal(TimeSpan.FromMinutes(5), processor.MaxAutoLeaseRenewalDuration);
    }

    [Fact]
    public void Setters_RejectValuesOutOfRange_NamingTheOption()
    {
        Assert.Equal("MaxRetries", Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { MaxRetries = -1 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { MaxRetries = 101 });
        Assert.Equal("MaxElapsed", Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { MaxElapsed = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { MaxElapsed = TimeSpan.FromDays(2) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { Delay = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { MaxDelay = TimeSpan.FromHours(1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { Jitter = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { Jitter = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingRetryOptions { TryTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(10) });
        Assert.Throws<ArgumentNullException>(() => new ActorMessagingClientOptions { Retry = null! });
        Assert.Equal("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingPublisherOptions { MaxBatchSize = 1001 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingPublisherOptions { MaxBatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingPublisherOptions { Linger = TimeSpan.FromSeconds(2) });
        Assert.Equal("MaxConcurrentCalls", Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingProcessorOptions { MaxConcurrentCalls = 0 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingProcessorOptions { PrefetchCount = 10001 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActorMessagingProcessorOptions { MaxAutoLeaseRenewalDuration = TimeSpan.FromSeconds(-1) });
    }

    [Fact]
    public void Client_RejectsBothCredentials_AndEndpointsThatAreNotHttp()
    {
        var both = new ActorMessagingClientOptions { ApiKey = "key", AccessTokenProvider = _ => ValueTask.FromResult<string?>("token") };
        Assert.Throws<ArgumentException>(() => new ActorMessagingClient(new Uri("http://127.0.0.1:1"), both));
        Assert.Throws<ArgumentException>(() => new ActorMessagingClient(new Uri("ws://127.0.0.1:1")));
        Assert.Throws<ArgumentException>(() => new ActorMessagingClient(new Uri("/relative", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => new ActorMessagingAdministrationClient(new Uri("ftp://127.0.0.1:1")));
        Assert.Throws<ArgumentException>(() => new ActorMessagingClient(Array.Empty<Uri>()));
        Assert.Throws<ArgumentException>(() => new ActorMessagingClient([new Uri("http://127.0.0.1:1"), new Uri("ws://127.0.0.1:2")]));
    }

    [Fact]
    public void Client_WithSeveralEndpoints_KeepsTheirOrder_WithoutDuplicates()
    {
        var client = new ActorMessagingClient([new Uri("http://gw-1:5080"), new Uri("http://gw-2:5080/"), new Uri("http://gw-1:5080/")]);
        Assert.Equal([new Uri("http://gw-1:5080/"), new Uri("http://gw-2:5080/")], client.Endpoints);
        Assert.Equal(new Uri("http://gw-1:5080/"), client.Endpoint);
        Assert.Equal([new Uri("http://gw-1:5080/")], new ActorMessagingClient(new Uri("http://gw-1:5080")).Endpoints);
    }

    [Fact]
    public void Client_KeepsACopyOfItsOptions()
    {
        var options = new ActorMessagingClientOptions { ApiKey = "first" };
        var client = new ActorMessagingClient(new Uri("http://127.0.0.1:1/base"), options);
        options.ApiKey = "second";
        options.Retry.MaxRetries = 0;
        Assert.Equal("first", client.Options.ApiKey);
        Assert.Null(client.Options.Retry.MaxRetries);
        Assert.Equal("http://127.0.0.1:1/base/", client.Endpoint.ToString());
    }

    [Fact]
    public async Task AddActorMessagingClient_BindsTheSection()
    {
        var configuration = Configuration(new()
        {
            ["ActorMessaging:Client:Endpoint"] = "http://127.0.0.1:5999",
            ["ActorMessaging:Client:ApiKey"] = "secret-key",
            ["ActorMessaging:Client:ConnectTimeout"] = "00:00:05",
            ["ActorMessaging:Client:Retry:MaxRetries"] = "7",
            ["ActorMessaging:Client:Retry:Delay"] = "00:00:00.250",
        });
        await using var services = new ServiceCollection().AddActorMessagingClient(configuration.GetSection(ActorMessagingClientOptions.SectionName)).BuildServiceProvider();

        var client = services.GetRequiredService<ActorMessagingClient>();
        Assert.Equal(new Uri("http://127.0.0.1:5999/"), client.Endpoint);
        Assert.Equal("secret-key", client.Options.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Options.ConnectTimeout);
        Assert.Equal(7, client.Options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), client.Options.Retry.Delay);
        Assert.Equal(client.Endpoint, services.GetRequiredService<ActorMessagingAdministrationClient>().Endpoint);
    }

    [Fact]
    public async Task AddActorMessagingClient_BindsAnEndpointsList_AndTheRetryBudget()
    {
        var configuration = Configuration(new()
        {
            ["ActorMessaging:Client:Endpoints:0"] = "http://gw-1:5080",
            ["ActorMessaging:Client:Endpoints:1"] = "http://gw-2:5080",
            ["ActorMessaging:Client:Retry:MaxElapsed"] = "00:02:00",
        });
        await using var services = new ServiceCollection().AddActorMessagingClient(configuration.GetSection(ActorMessagingClientOptions.SectionName)).BuildServiceProvider();

        var client = services.GetRequiredService<ActorMessagingClient>();
        Assert.Equal([new Uri("http://gw-1:5080/"), new Uri("http://gw-2:5080/")], client.Endpoints);
        Assert.Equal(client.Endpoints, services.GetRequiredService<ActorMessagingAdministrationClient>().Endpoints);
        Assert.Equal(TimeSpan.FromMinutes(2), client.Options.Retry.MaxElapsed);
    }

    [Theory]
    [InlineData(null, null, "ActorMessaging:Client:Endpoint")]
    [InlineData("not a uri", null, "ActorMessaging:Client:Endpoint")]
    [InlineData("http://127.0.0.1:5999", "-1", "MaxRetries")]
    public async Task AddActorMessagingClient_BadSetting_FailsNamingTheKey(string? endpoint, string? maxRetries, string named)
    {
        var configuration = Configuration(new()
        {
            ["ActorMessaging:Client:Endpoint"] = endpoint,
            ["ActorMessaging:Client:Retry:MaxRetries"] = maxRetries,
        });
        await using var services = new ServiceCollection().AddActorMessagingClient(configuration.GetSection(ActorMessagingClientOptions.SectionName)).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ActorMessagingClientOptions>>().Value);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
