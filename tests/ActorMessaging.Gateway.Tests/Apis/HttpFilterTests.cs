using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpFilterTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Put_WithFilter_DeliversOnlyMatchingMessages_AndBacklogCountsOnlyThose()
    {
        var topic = UniqueName("filter");
        await _http.CreateTopicAsync(topic);
        var created = await _http.CreateSubscriptionAsync(topic, "red", new SubscriptionConfiguration { Filter = "color = 'red' AND priority >= 2" });
        await _http.PublishAsync(topic, Colored("a", "red", 1), Colored("b", "red", 2), Colored("c", "blue", 5), Colored("d", "red", 3));

        var description = await (await _http.GetAsync(Subscription(topic, "red"))).ReadAsync<SubscriptionDescription>();
        var received = await _http.PullExactlyAsync(topic, "red", 2);

        Assert.Equal("color = 'red' AND priority >= 2", created.Settings.Filter);
        Assert.Equal(2, description.Stats.Backlog);
        Assert.Equal(["b", "d"], received.Select(m => m.Id));
    }

    [Fact]
    public async Task Put_WithALikePatternOfThousandsOfWildcards_IsCreated_AndFilters()
    {
        // Issue 12: a LIKE pattern of about 2,000 characters or more was a 500 (the regex automaton's size limit).
        var topic = UniqueName("filter");
        await _http.CreateTopicAsync(topic);
        var filter = "color LIKE '" + string.Concat(Enumerable.Repeat("%r", 1000)) + "%d'";

        var created = await _http.CreateSubscriptionAsync(topic, "long", new SubscriptionConfiguration { Filter = filter });
        await _http.PublishAsync(topic, Colored("a", "red", 1), Colored("b", new string('r', 1000) + "ed", 1), Colored("c", "blue", 1));

        Assert.Equal(filter, created.Settings.Filter);
        Assert.Equal(["b"], (await _http.PullExactlyAsync(topic, "long", 1)).Select(m => m.Id));
    }

    [Fact]
    public async Task Put_WithMalformedFilter_Is400InvalidFilter_NamingPosition_AndCreatesNothing()
    {
        var topic = UniqueName("filter");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.PutJsonAsync(Subscription(topic, "bad"), new SubscriptionConfiguration { Filter = "color IN ('red' 'blue')" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidFilter);
        Assert.Contains("position 17: expected ',' or ')' in the IN list, found string 'blue'", problem.Detail, StringComparison.Ordinal);
        using var get = await _http.GetAsync(Subscription(topic, "bad"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_Existing_WithMalformedFilter_Is400_AndKeepsTheOldFilter()
    {
        var topic = UniqueName("filter");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { Filter = "EXISTS(color)" });

        using var response = await _http.PutJsonAsync(Subscription(topic, "s"), new SubscriptionConfiguration { Filter = "NOT" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidFilter);
        var current = await (await _http.GetAsync(Subscription(topic, "s"))).ReadAsync<SubscriptionDescription>();
        Assert.Equal("EXISTS(color)", current.Settings.Filter);
    }

    private static PublishMessage Colored(string id, string color, int priority) =>
        JsonMessage(new { id }, id) with { Attributes = new Dictionary<string, string> { ["color"] = color, ["priority"] = priority.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
}
