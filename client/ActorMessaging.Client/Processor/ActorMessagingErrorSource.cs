namespace ActorMessaging.Client;

/// <summary>What an <see cref="ActorMessagingProcessor"/> was doing when the error reported to <see cref="ActorMessagingProcessor.ProcessErrorAsync"/> happened.</summary>
public enum ActorMessagingErrorSource
{
    /// <summary>Connecting or attaching to the subscription (the processor keeps trying, with backoff).</summary>
    Receive,

    /// <summary>The <see cref="ActorMessagingProcessor.ProcessMessageAsync"/> handler threw.</summary>
    ProcessMessageCallback,

    /// <summary>An automatic ack did not apply (for example the lease had ended); the message will be delivered again.</summary>
    Ack,

    /// <summary>An automatic nack did not apply.</summary>
    Nack,

    /// <summary>A lease could not be renewed; the message may be delivered again.</summary>
    RenewLease,
}
