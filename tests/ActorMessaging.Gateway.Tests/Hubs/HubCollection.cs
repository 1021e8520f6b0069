namespace ActorMessaging.Gateway.Tests;

/// <summary>The hub test classes share one <see cref="HubFixture"/> host.</summary>
[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "Hub";
}
