namespace ActorMessaging.Client;

/// <summary>An error of an <see cref="ActorMessagingProcessor"/>, passed to its <see cref="ActorMessagingProcessor.ProcessErrorAsync"/> handler.</summary>
public sealed class ProcessErrorEventArgs : EventArgs
{
    internal ProcessErrorEventArgs(Exception exception, ActorMessagingErrorSource errorSource, string topic, string subscription, ActorMessagingReceivedMessage? message, CancellationToken cancellationToken)
    {
        Exception = exception;
        ErrorSource = errorSource;
        Topic = topic;
        Subscription = subscription;
        Message = message;
        CancellationToken = cancellationToken;
    }

    /// <summary>What went wrong: the handler's own exception, or an <see cref="ActorMessagingException"/>.</summary>
    public Exception Exception { get; }

    /// <summary>What the processor was doing.</summary>
    public ActorMessagingErrorSource ErrorSource { get; }

    /// <summary>The processor's topic.</summary>
    public string Topic { get; }

    /// <summary>The processor's subscription.</summary>
    public string Subscription { get; }

    /// <summary>The message concerned, when there is one.</summary>
    public ActorMessagingReceivedMessage? Message { get; }

    /// <summary>Cancelled when the processor is stopping.</summary>
    public CancellationToken CancellationToken { get; }
}
