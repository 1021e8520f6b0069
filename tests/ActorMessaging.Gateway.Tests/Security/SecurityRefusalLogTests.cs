using System.Diagnostics.Metrics;
using System.Net;
using ActorMessaging.Gateway.Security;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 12: every refused hub connection was logged at fail with a stack trace (400 entries from one burst). Refusals
/// are now logged once per caller and reason per minute, without exceptions, and counted.
/// </summary>
public sealed class SecurityRefusalLogTests
{
    [Fact]
    public void Refusals_AreLoggedOncePerCallerAndReasonPerInterval_WithHowManyTheLineStandsFor()
    {
        var time = new FakeTimeProvider();
        var logs = new SecurityLogCapture(LogLevel.Information);
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var refusals = new RefusalLog(time, factory.CreateLogger<RefusalLog>());
        long unauthenticated = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actormessaging.gateway.refusals")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "unauthenticated" })
                {
                    Interlocked.Add(ref unauthenticated, value);
                }
            }
        });
        listener.Start();

        for (var i = 0; i < 100; i++)
        {
            refusals.Refused(RefusalReason.Unauthenticated, "ip:10.0.0.1", "GET /v1/topics", "No credentials.");
        }

        refusals.Refused(RefusalReason.Forbidden, "ip:10.0.0.1", "GET /v1/topics", "Lacks admin.");
        refusals.Refused(RefusalReason.Unauthenticated, "ip:10.0.0.2", "GET /v1/topics", "No credentials.");
        Assert.Equal(3, logs.Entries.Count);

        time.Advance(RefusalLog.Interval);
        refusals.Refused(RefusalReason.Unauthenticated, "ip:10.0.0.1", "GET /v1/topics", "No credentials.");

        Assert.Equal(4, logs.Entries.Count);
        Assert.Contains("(99 more refused", logs.Entries[^1].Message, StringComparison.Ordinal);
        Assert.All(logs.Entries, e => Assert.Null(e.Exception));

        // Every refusal is counted, logged or not (other tests may count too: the meter is process-wide).
        Assert.True(Interlocked.Read(ref unauthenticated) >= 102, $"counted {unauthenticated}");
    }

    [Fact]
    public async Task ABurstOfRefusedHubConnections_LogsNoErrorsNorStackTraces_AndOneLinePerCaller()
    {
        var logs = new SecurityLogCapture(LogLevel.Information);
        var settings = KeysAndJwt();
        settings["Logging:LogLevel:ActorMessaging.Gateway.Security"] = "Information";
        await using var host = await GatewayHost.StartAsync(settings, services => services.AddSingleton<ILoggerProvider>(logs), environment: "Production");
        var direct = WithApiKey(ConnectionsKey) + (options =>
        {
            options.SkipNegotiation = true;
            options.Transports = HttpTransportType.WebSockets;
        });
        await using var first = Hub(host.Address, configure: direct);
        await using var second = Hub(host.Address, configure: direct);
        await first.StartAsync();
        await second.StartAsync();

        for (var i = 0; i < 20; i++)
        {
            // Over its connection limit: the negotiate is refused with 429.
            await using var refused = Hub(host.Address, configure: WithApiKey(ConnectionsKey));
            var limited = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            await using var anonymous = Hub(host.Address);
            var unauthenticated = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        var entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Exception is not null);
        Assert.Single(entries, e => e.Message.StartsWith("Refused hub negotiate from key:connections: connection_limit: ", StringComparison.Ordinal));
        Assert.Single(entries, e => e.Message.Contains(": unauthenticated: ", StringComparison.Ordinal));
    }
}
