namespace ActorMessaging.Gateway.Security;

/// <summary>What an operation needs from the caller's permissions.</summary>
internal enum TopicAccess
{
    /// <summary>Nothing beyond being authenticated (opening a hub connection).</summary>
    Authenticated,

    /// <summary>At least one permission of any kind (listing topics; the list is filtered to what the caller may see).</summary>
    AnyTopic,

    /// <summary>Any permission on this topic: <c>publish:</c> or <c>subscribe:</c> (reading the topic's description).</summary>
    Any,

    /// <summary><c>publish:</c> on the topic.</summary>
    Publish,

    /// <summary><c>subscribe:</c> on the topic.</summary>
    Subscribe,

    /// <summary><c>metrics</c> (or <c>admin</c>): scraping <c>/metrics</c>, which names every topic and subscription.</summary>
    Metrics,

    /// <summary><c>admin</c>.</summary>
    Admin,
}
