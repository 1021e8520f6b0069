namespace ActorMessaging.Bench;

/// <summary>One configuration of the <c>semantics</c> command: how its subscriptions are set up and what is published.</summary>
/// <param name="Name">Shown in the results table.</param>
/// <param name="Settings">Settings of every subscription of the cell's topic.</param>
/// <param name="Message">The message for a running index (payload, attributes, ordering key).</param>
/// <param name="Topic">Settings of the cell's topic; the defaults when null.</param>
internal sealed record SemanticsCell(string Name, SubscriptionSettings Settings, Func<long, ReadOnlyMemory<byte>, OutgoingMessage> Message, TopicSettings? Topic = null);
