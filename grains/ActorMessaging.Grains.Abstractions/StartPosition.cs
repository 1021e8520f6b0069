namespace ActorMessaging;

/// <summary>Where a new subscription starts reading its topic.</summary>
[GenerateSerializer, Alias("am.start-position")]
public enum StartPosition
{
    /// <summary>Only messages published after the subscription was created.</summary>
    Latest = 0,

    /// <summary>Every message the topic still retains.</summary>
    Earliest = 1,
}
