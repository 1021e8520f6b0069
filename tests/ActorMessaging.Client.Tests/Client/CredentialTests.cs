using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorMessaging.Client.Tests;

/// <summary>The SDK's credentials against a gateway that authenticates: API keys (<c>X-Api-Key</c>) and bearer tokens.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private const string AdminKey = "sdk-admin-key-0123456789abcdef";
    private const string ClientKey = "sdk-client-key-0123456789abcdef";
    private const string Issuer = "https://issuer.test";
    private const string Audience = "actormessaging";
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    private GatewayHost? _host;

    private Uri Endpoint => _host!.Address;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(new Dictionary<string, string?>
    {
        ["ActorMessaging:Auth:Mode"] = "KeysAndJwt",
        ["ActorMessaging:Auth:ApiKeys:0:Key"] = AdminKey,
        ["ActorMessaging:Auth:ApiKeys:0:Name"] = "ops",
        ["ActorMessaging:Auth:ApiKeys:0:Permissions:0"] = "admin",
        ["ActorMessaging:Auth:ApiKeys:1:Key"] = ClientKey,
        ["ActorMessaging:Auth:ApiKeys:1:Name"] = "orders-service",
        ["ActorMessaging:Auth:ApiKeys:1:Permissions:0"] = "publish:orders.*",
        ["ActorMessaging:Auth:ApiKeys:1:Permissions:1"] = "subscribe:orders.*",
        ["ActorMessaging:Auth:Jwt:SigningKey"] = "base64:" + Convert.ToBase64String(SigningKey),
        ["ActorMessaging:Auth:Jwt:Issuer"] = Issuer,
        ["ActorMessaging:Auth:Jwt:Audience"] = Audience,
    });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ApiKey_AuthenticatesHubAndHttp_AndPermissionsApply()
    {
        await CreateAsync("orders.created", "billing");
        await using var client = new ActorMessagingClient(Endpoint, new ActorMessagingClientOptions { ApiKey = ClientKey });
        await ProcessOneAsync(client, "orders.created", "billing");

        // A topic no permission matches looks like a missing one (issue 12: refusals do not reveal which names exist).
        await using var elsewhere = client.CreatePublisher("payments");
        var hidden = await Assert.ThrowsAsync<ActorMessagingException>(() => elsewhere.PublishAsync(new ActorMessage(BinaryData.FromString("x"))));
        Assert.Equal(ErrorCode.TopicNotFound, hidden.Code);
        Assert.False(hidden.IsTransient);
    }

    [Fact]
    public async Task AccessTokenProvider_AuthenticatesHubAndHttp()
    {
        await CreateAsync("orders.shipped", "tracking");
        var calls = 0;
        var options = new ActorMessagingClientOptions
        {
            AccessTokenProvider = _ =>
            {
                Interlocked.Increment(ref calls);
                return ValueTask.FromResult<string?>(Token("tracking-service", "publish:orders.* subscribe:orders.*"));
            },
        };
        await using var client = new ActorMessagingClient(Endpoint, options);
        await ProcessOneAsync(client, "orders.shipped", "tracking");
        Assert.True(calls >= 3, $"the token provider was called {calls} times: for the publisher's and the processor's connections and the HTTP requests");
    }

    [Fact]
    public async Task AWrongKey_IsUnauthenticated_AtOnce()
    {
        var options = TestClients.FastRetries();
        options.ApiKey = "not-a-key-0123456789abcdef";
        await using var client = new ActorMessagingClient(Endpoint, options);
        await using var publisher = client.CreatePublisher("orders.created");
        var hub = await Assert.ThrowsAsync<ActorMessagingException>(() => publisher.PublishAsync(new ActorMessage(BinaryData.FromString("x"))));
        Assert.Equal(ErrorCode.Unauthenticated, hub.Code);

        using var admin = new ActorMessagingAdministrationClient(Endpoint, options);
        var http = await Assert.ThrowsAsync<ActorMessagingException>(() => admin.GetTopicAsync("orders.created"));
        Assert.Equal(ErrorCode.Unauthenticated, http.Code);
    }

    private async Task CreateAsync(string topic, string subscription)
    {
        using var admin = new ActorMessagingAdministrationClient(Endpoint, new ActorMessagingClientOptions { ApiKey = AdminKey });
        await admin.CreateOrUpdateTopicAsync(topic);
        await admin.CreateOrUpdateSubscriptionAsync(topic, subscription, new Contracts.SubscriptionConfiguration { StartAt = "earliest" });
    }

    private static async Task ProcessOneAsync(ActorMessagingClient client, string topic, string subscription)
    {
        await using var publisher = client.CreatePublisher(topic);
        var sequence = await publisher.PublishAsync(ActorMessage.FromJson(new { id = 1 }));
        var handled = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            handled.TrySetResult(args.Message.Sequence);
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();
        Assert.Equal(sequence, await handled.Task.WaitAsync(TimeSpan.FromSeconds(20)));

        // Pulls and lease renewal go over HTTP with the same credential.
        var receiver = client.CreateReceiver(topic, subscription);
        Assert.Empty(await receiver.ReceiveAsync());
        await processor.StopProcessingAsync();
        Assert.Empty(recorder.Errors);
    }

    private static string Token(string subject, string scope) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddMinutes(10),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
    });
}
