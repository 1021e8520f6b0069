namespace ActorMessaging.Gateway.Tests;

/// <summary>The security test classes that share one <see cref="SecurityFixture"/> host.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>
{
    public const string Name = "Security";
}
