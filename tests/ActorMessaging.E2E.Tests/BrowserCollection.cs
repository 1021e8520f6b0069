namespace ActorMessaging.E2E.Tests;

/// <summary>The browser tests share one platform and one Chromium, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
