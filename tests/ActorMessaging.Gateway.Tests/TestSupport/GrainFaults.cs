using System.Collections.Concurrent;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// A silo call filter that makes calls of one grain method fail with a given exception, as a grain whose storage or
/// cluster fails would: the exception crosses Orleans to the gateway as a real one does. Calls without a fault pass.
/// </summary>
internal sealed class GrainFaults : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Method), Fault> _faults = new();
    private readonly ConcurrentDictionary<(GrainId Grain, string Method), Hold> _hangs = new();

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> (the interface method's name, e.g.
    /// <c>ReadAsync</c>) on <paramref name="grain"/> throw what <paramref name="exception"/> makes; every call when null.
    /// </summary>
    public Fault Fail(GrainId grain, string method, Func<Exception> exception, int? times = null)
    {
        var fault = new Fault(exception, times);
        _faults[(grain, method)] = fault;
        return fault;
    }

    public Fault Fail(IAddressable grain, string method, Func<Exception> exception, int? times = null) =>
        Fail(grain.GetGrainId(), method, exception, times);

    /// <summary>
    /// Calls of <paramref name="method"/> on <paramref name="grain"/> wait until <paramref name="until"/> completes, then
    /// run: a grain on a silo that froze, as its callers see it. The hold counts the calls that ran through it.
    /// </summary>
    public Hold Hang(IAddressable grain, string method, Task until)
    {
        var hold = new Hold(until);
        _hangs[(grain.GetGrainId(), method)] = hold;
        return hold;
    }

    /// <summary>Calls of <paramref name="method"/> on <paramref name="grain"/> pass again.</summary>
    public void Heal(IAddressable grain, string method) => _faults.TryRemove((grain.GetGrainId(), method), out _);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { } method
            && _faults.TryGetValue((context.TargetId, method.Name), out var fault)
            && fault.TryTake() is { } exception)
        {
            throw exception;
        }

        if (context.InterfaceMethod is { } hung && _hangs.TryGetValue((context.TargetId, hung.Name), out var hold))
        {
            await hold.Until;
            await context.Invoke();
            hold.Ran();
            return;
        }

        await context.Invoke();
    }

    /// <summary>One injected hang; counts the calls that ran once it let them.</summary>
    public sealed class Hold(Task until)
    {
        private int _ran;

        public Task Until => until;

        /// <summary>Calls that went through the hold and completed.</summary>
        public int Completed => Volatile.Read(ref _ran);

        internal void Ran() => Interlocked.Increment(ref _ran);
    }

    /// <summary>One injected fault; counts the calls it failed.</summary>
    public sealed class Fault(Func<Exception> exception, int? times)
    {
        private int _left = times ?? int.MaxValue;
        private int _failed;

        /// <summary>Calls this fault made fail so far.</summary>
        public int Failed => Volatile.Read(ref _failed);

        internal Exception? TryTake()
        {
            if (Interlocked.Decrement(ref _left) < 0)
            {
                return null;
            }

            Interlocked.Increment(ref _failed);
            return exception();
        }
    }
}
