using ActorMessaging.Bench;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(PublishBenchmarkOptions.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(BreakdownCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(GroupCommitCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(FanoutCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(SemanticsCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(ChaosCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(FuzzCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(FilterCostCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(ScaleCommand.Usage);
    Console.Out.WriteLine();
    Console.Out.WriteLine(MemoryCommand.Usage);
    return args.Length == 0 ? 1 : 0;
}

if (string.Equals(args[0], "group-commit", StringComparison.Ordinal))
{
    return await GroupCommitCommand.RunAsync(args.AsMemory(1), args);
}

if (string.Equals(args[0], "fanout", StringComparison.Ordinal))
{
    using var fanoutCancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        fanoutCancellation.Cancel();
    };
    return await FanoutCommand.RunAsync(args.AsMemory(1), args, fanoutCancellation.Token);
}

if (string.Equals(args[0], "semantics", StringComparison.Ordinal))
{
    return await SemanticsCommand.RunAsync(args.AsMemory(1), args);
}

if (string.Equals(args[0], "chaos", StringComparison.Ordinal))
{
    return await ChaosCommand.RunAsync(args.AsMemory(1), args);
}

if (string.Equals(args[0], "fuzz", StringComparison.Ordinal))
{
    return await FuzzCommand.RunAsync(args.AsMemory(1));
}

if (string.Equals(args[0], "filters", StringComparison.Ordinal))
{
    return FilterCostCommand.Run(args.AsSpan(1), args);
}

if (string.Equals(args[0], "sdk", StringComparison.Ordinal))
{
    return await SdkCommand.RunAsync(args.AsMemory(1), args);
}

if (string.Equals(args[0], "scale", StringComparison.Ordinal))
{
    using var scaleCancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        scaleCancellation.Cancel();
    };
    return await ScaleCommand.RunAsync(args.AsMemory(1), args, scaleCancellation.Token);
}

if (string.Equals(args[0], "memory", StringComparison.Ordinal))
{
    return await MemoryCommand.RunAsync(args.AsMemory(1), args);
}

if (string.Equals(args[0], "breakdown", StringComparison.Ordinal))
{
    return await BreakdownCommand.RunAsync(args.AsMemory(1), args);
}

if (!string.Equals(args[0], "publish", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
    Console.Error.WriteLine(PublishBenchmarkOptions.Usage);
    return 1;
}

PublishBenchmarkOptions options;
try
{
    options = PublishBenchmarkOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(PublishBenchmarkOptions.Usage);
    return 1;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await PublishBenchmark.RunAsync(options, args, cancellation.Token);
