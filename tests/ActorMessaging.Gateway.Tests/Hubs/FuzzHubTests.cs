using ActorMessaging.Gateway.Security;
using ActorMessaging.Testing.Fuzz;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 12 fuzz: generated invocations of every hub method (<see cref="GatewayAccessRules.Hub"/>), over JSON and
/// MessagePack, either succeed or fail with a typed error (<c>"NNNN Name: …"</c>), and never drop the connection.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class FuzzHubTests(HubFixture fixture)
{
    [Theory]
    [InlineData(20261203, false)]
    [InlineData(20261203, true)]
    public async Task GeneratedInvocations_OfEveryMethod_GetTypedErrors_AndKeepTheConnection(int seed, bool messagePack)
    {
        var topic = await fixture.Host.CreateTopicAsync("fuzz");
        await using var client = messagePack ? await HubTestClient.ConnectMessagePackAsync(fixture.Host.Address) : await HubTestClient.ConnectAsync(fixture.Host.Address);
        var inputs = new FuzzInputs(seed);
        var methods = GatewayAccessRules.Hub.Keys.ToList();
        for (var round = 0; round < 200; round++)
        {
            var method = inputs.Pick(methods);
            var args = new object?[inputs.Next(5)];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = i == 0 && inputs.Next(2) == 0 ? topic : inputs.Argument();
            }

            try
            {
                await client.Connection.InvokeCoreAsync<object?>(method, args);
            }
            catch (HubException exception)
            {
                Assert.Matches(@"^\d{4} \w+: ", exception.Message);
            }

            Assert.True(client.Connection.State == HubConnectionState.Connected, $"seed {seed} round {round}: {method}({args.Length} args) dropped the connection");
        }
    }
}
