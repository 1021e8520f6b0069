using System.Reflection;
using System.Security.Claims;
using ActorMessaging.Gateway.Hubs;
using ActorMessaging.Gateway.Security;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Permission strings, pattern matching and the claims they are read from.</summary>
public sealed class SecurityPermissionTests
{
    [Theory]
    [InlineData("publish:orders.*", "orders.created", true)]
    [InlineData("publish:orders.*", "orders.eu.created", true)]
    [InlineData("publish:orders.*", "orders", false)]
    [InlineData("publish:orders.*", "ordersx", false)]
    [InlineData("publish:orders", "orders", true)]
    [InlineData("publish:orders", "orders.created", false)]
    [InlineData("publish:*", "anything", true)]
    [InlineData("publish:ord*", "orders", true)]
    public void Pattern_MatchesExactNamesAndStarSuffixes(string text, string topic, bool matches)
    {
        Assert.True(Permission.TryParse(text, out var permission));
        Assert.Equal(matches, permission.Value.Matches(topic));
    }

    [Theory]
    [InlineData("publish:")]
    [InlineData("publish:*.orders")]
    [InlineData("publish:a b")]
    [InlineData("read:orders")]
    [InlineData("Admin")]
    [InlineData("")]
    public void MalformedPermission_IsRejected(string text) => Assert.False(Permission.TryParse(text, out _));

    [Fact]
    public void Admin_AllowsEverything_PublishDoesNotImplySubscribe()
    {
        var admin = Caller(new Claim("permissions", "admin"));
        var publisher = Caller(new Claim("permissions", "publish:orders.*"), new Claim("scope", "openid subscribe:audit"));

        Assert.True(admin.Allows(TopicAccess.Admin, "x"));
        Assert.True(admin.Allows(TopicAccess.Subscribe, "x"));
        Assert.True(publisher.Allows(TopicAccess.Publish, "orders.a"));
        Assert.False(publisher.Allows(TopicAccess.Subscribe, "orders.a"));
        Assert.True(publisher.Allows(TopicAccess.Subscribe, "audit"));
        Assert.True(publisher.Allows(TopicAccess.Any, "audit"));
        Assert.False(publisher.Allows(TopicAccess.Admin, "orders.a"));
        Assert.True(publisher.Allows(TopicAccess.AnyTopic, null));
        Assert.False(Caller(new Claim("scope", "openid profile")).Allows(TopicAccess.AnyTopic, null));
    }

    [Fact]
    public void EveryHubMethod_HasAnAccessRule()
    {
        var methods = typeof(MessagingHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync)))
            .Select(m => m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name);

        Assert.All(methods, name => Assert.True(GatewayAccessRules.Hub.ContainsKey(name), $"Hub method '{name}' has no rule in GatewayAccessRules.Hub (it needs admin until it gets one)."));
    }

    private static CallerPermissions Caller(params Claim[] claims) => CallerPermissions.Of(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")));
}
