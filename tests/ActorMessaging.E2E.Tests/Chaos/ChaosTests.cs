using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// The chaos scenarios CI runs (the whole set is <c>bench chaos</c>): real silo processes killed and frozen under SDK
/// load, then every invariant of <see cref="ChaosChecker"/> checked.
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class ChaosTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [PostgresFact(Timeout = 400_000)]
    public Task SigkillTheSiloHostingABusyTopic_LosesNothing_AndServesAgainWithin10s() => RunAsync(ChaosScenario.KillTopicHost);

    [PostgresFact(Timeout = 400_000)]
    public Task SigstopTheSiloHostingABusyTopic_ThenSigcont_LosesNothing_AndServesAgainWithin20s() => RunAsync(ChaosScenario.FreezeTopicHost);

    private async Task RunAsync(ChaosScenario scenario)
    {
        var result = await ChaosRun.RunAsync(postgres, scenario, output.WriteLine);
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Violations.Prepend(result.Row)));
    }
}
