using System.Collections.Concurrent;
using System.Net.Http.Json;
using ActorMessaging.Contracts;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Operations.Tests;

/// <summary>
/// The Aspire AppHost against the test PostgreSQL (no container runtime here): two silos form one cluster, and a
/// message published through one gateway reaches a consumer connected to the other.
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class AspireAppHostTests(PostgresFixture postgres)
{
    private static readonly string[] Resources = ["silo-0", "silo-1", "gateway-0", "gateway-1"];

    [PostgresFact]
    public async Task AppHost_StartsHealthyCluster_AndDeliversAcrossGateways()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ActorMessaging_AppHost>(
            [$"--ConnectionStrings:actormessaging={connectionString}", "--ActorMessaging:Silos=2", "--ActorMessaging:Gateways=2"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        foreach (var resource in Resources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        using var publisher = app.CreateHttpClient("gateway-0", "http");
        Assert.True((await publisher.PutAsJsonAsync(new Uri("/v1/topics/orders", UriKind.Relative), new { }, timeout.Token)).IsSuccessStatusCode);
        Assert.True((await publisher.PutAsJsonAsync(new Uri("/v1/topics/orders/subscriptions/billing", UriKind.Relative), new { startAt = "earliest" }, timeout.Token)).IsSuccessStatusCode);

        var received = new ConcurrentQueue<ReceivedMessage>();
        await using var consumer = new HubConnectionBuilder().WithUrl(new Uri(app.GetEndpoint("gateway-1", "http"), "/hubs/messaging")).Build();
        consumer.On<List<ReceivedMessage>>("Deliver", messages => messages.ForEach(received.Enqueue));
        await consumer.StartAsync(timeout.Token);
        await consumer.InvokeAsync<string>("Subscribe", "orders", "billing", null, timeout.Token);

        using var publish = await publisher.PostAsJsonAsync(
            new Uri("/v1/topics/orders/messages", UriKind.Relative), new { messages = new[] { new { id = "o-1", data = new { total = 42 } } } }, timeout.Token);
        Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync(timeout.Token));

        await Eventually.TrueAsync(() => !received.IsEmpty, "the message on the other gateway's hub consumer", TimeSpan.FromSeconds(30));
        var message = Assert.Single(received);
        Assert.Equal("o-1", message.Id);
        Assert.Equal(42, message.Data!.Value.GetProperty("total").GetInt32());
        Assert.Empty(await consumer.InvokeAsync<List<AckIdFailure>>("Ack", "orders", "billing", new List<string> { message.AckId }, timeout.Token));
    }
}
