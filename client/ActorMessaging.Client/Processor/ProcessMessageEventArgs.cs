namespace ActorMessaging.Client;

/// <summary>A message for the <see cref="ActorMessagingProcessor.ProcessMessageAsync"/> handler, and the means to settle it explicitly.</summary>
public sealed class ProcessMessageEventArgs : EventArgs
{
    private readonly ActorMessagingProcessor _processor;
    private int _settled;

    internal ProcessMessageEventArgs(ActorMessagingReceivedMessage message, ActorMessagingProcessor processor, CancellationToken cancellationToken)
    {
        Message = message;
        _processor = processor;
        CancellationToken = cancellationToken;
    }

    /// <summary>The message.</summary>
    public ActorMessagingReceivedMessage Message { get; }

    /// <summary>Cancelled when the processor is disposed, or when <see cref="ActorMessagingProcessor.StopProcessingAsync"/>'s token is.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True once the handler acked or nacked the message itself.</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    /// <summary>Acks the message now: it is done and will not be delivered again.</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the ack is applied (on an exactly-once subscription: once it is durable).</returns>
    /// <exception cref="ActorMessagingException">The ack did not apply, for example <see cref="ErrorCode.AckIdExpired"/> when the lease had ended,
    /// or <see cref="ErrorCode.AckNotDurable"/> when an exactly-once subscription could not save it (the message comes again).</exception>
    /// <exception cref="InvalidOperationException">The message was already settled.</exception>
    public Task AckAsync(CancellationToken cancellationToken = default)
    {
        MarkSettled();
        return _processor.AckAsync(Message, cancellationToken);
    }

    /// <summary>Nacks the message now: it is delivered again after <paramref name="delay"/>, or the subscription's retry backoff.</summary>
    /// <param name="delay">Redeliver after this long (0 to 10 minutes); null for the subscription's backoff.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the nack is applied.</returns>
    /// <exception cref="ActorMessagingException">The nack did not apply.</exception>
    /// <exception cref="InvalidOperationException">The message was already settled.</exception>
    public Task NackAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        MarkSettled();
        return _processor.NackAsync(Message, delay, cancellationToken);
    }

    /// <summary>
    /// Dead-letters the message now, with reason <c>rejected</c>: it goes to the subscription's dead-letter store
    /// (or its dead-letter topic) without using up its remaining attempts.
    /// </summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the message is dead-lettered.</returns>
    /// <exception cref="ActorMessagingException">It did not apply, for example <see cref="ErrorCode.InvalidArgument"/> when the subscription has dead-lettering off.</exception>
    /// <exception cref="InvalidOperationException">The message was already settled.</exception>
    public Task DeadLetterAsync(CancellationToken cancellationToken = default)
    {
        MarkSettled();
        return _processor.DeadLetterAsync(Message, cancellationToken);
    }

    private void MarkSettled()
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            throw new InvalidOperationException($"Message {Message.Sequence} of subscription '{Message.Subscription}' was already settled.");
        }
    }
}
