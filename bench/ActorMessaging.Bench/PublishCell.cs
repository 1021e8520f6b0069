namespace ActorMessaging.Bench;

/// <summary>One publish cell: a fresh topic, <c>publishers</c> closed loops each publishing <c>batch</c> messages per call.</summary>
internal static class PublishCell
{
    // Batches each publisher cycles through, so consecutive calls carry different payloads.
    private const int BatchesPerPublisher = 8;

    public static async Task<CellResult> RunAsync(
        BenchSilo silo,
        BenchStore store,
        int publishers,
        int batch,
        PayloadPool payloads,
        PublishBenchmarkOptions options,
        CancellationToken cancellationToken)
    {
        var name = $"bench-{store.ToString().ToLowerInvariant()}-p{publishers}-b{batch}-{Guid.NewGuid().ToString("N")[..8]}";
        var topic = silo.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());

        ChunkWriteSummary? commits = null;
        var outcome = await MeasuredLoad.RunAsync(
            publishers,
            publisher => CreatePublisher(topic, publisher, batch, payloads, options.MessageIds),
            options.Warmup,
            options.Measure,
            onWindowStart: silo.ChunkWrites.Start,
            onWindowEnd: elapsed => commits = silo.ChunkWrites.Stop(elapsed),
            cancellationToken);

        if (store == BenchStore.Memory)
        {
            // Memory storage keeps every chunk forever; drop them so later cells do not run against a huge heap.
            await topic.DeleteAsync();
        }

        if (outcome.FirstError is { } error)
        {
            await Console.Error.WriteLineAsync($"  {outcome.Errors} publish calls failed in the window; first error: {error.GetType().Name}: {error.Message}");
        }

        return new CellResult(store, CellResult.PublishWorkload, publishers, batch, outcome.MessagesPerSecond,
            outcome.P50Milliseconds, outcome.P99Milliseconds, commits, outcome.Cpu, outcome.Errors);
    }

    private static MeasuredLoad.Iteration CreatePublisher(ITopicGrain topic, int publisher, int batch, PayloadPool payloads, bool messageIds)
    {
        var first = (long)publisher * batch * BatchesPerPublisher;
        if (messageIds)
        {
            // Unique ids need a fresh batch per call.
            return async iteration =>
            {
                var messages = new OutgoingMessage[batch];
                for (var i = 0; i < batch; i++)
                {
                    var index = first + (iteration % BatchesPerPublisher * batch) + i;
                    messages[i] = new OutgoingMessage($"p{publisher}-{iteration}-{i}", payloads.Get(index));
                }

                await topic.PublishAsync(messages);
                return batch;
            };
        }

        var batches = Enumerable.Range(0, BatchesPerPublisher)
            .Select(b => Enumerable.Range(0, batch).Select(i => new OutgoingMessage(null, payloads.Get(first + ((long)b * batch) + i))).ToArray())
            .ToArray();
        return async iteration =>
        {
            await topic.PublishAsync(batches[iteration % BatchesPerPublisher]);
            return batch;
        };
    }
}
