using System.Collections.Concurrent;

namespace ActorMessaging.Grains.Tests;

/// <summary>
/// Counts the calls each grain has started to run, by method. Orleans does not promise that calls sent one after the
/// other arrive in that order, so a test that needs calls to be inside a grain waits for them here, not for a later call.
/// </summary>
public sealed class GrainCallArrivals : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Method), int> _counts = new();

    public int Count(GrainId grain, string method) => _counts.GetValueOrDefault((grain, method));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        _counts.AddOrUpdate((context.TargetId, context.ImplementationMethod.Name), 1, (_, count) => count + 1);
        return context.Invoke();
    }
}
