using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Small helpers the HTTP API tests share: requests, unique names, problem assertions.</summary>
internal static class HttpApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static Uri Topic(string topic) => new($"/v1/topics/{topic}", UriKind.Relative);

    public static Uri Messages(string topic) => new($"/v1/topics/{topic}/messages", UriKind.Relative);

    public static Uri Subscription(string topic, string subscription, string? action = null) =>
        new($"/v1/topics/{topic}/subscriptions/{subscription}{(action is null ? string.Empty : "/" + action)}", UriKind.Relative);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient http, Uri uri, object? body) =>
        http.PutAsync(uri, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, Uri uri, object? body) =>
        http.PostAsync(uri, body is null ? null : JsonContent.Create(body, body.GetType(), options: Json));

    public static Task<HttpResponseMessage> SendTextAsync(this HttpClient http, HttpMethod method, Uri uri, string body, string contentType = "application/json") =>
        http.SendAsync(new HttpRequestMessage(method, uri) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json) ?? throw new InvalidOperationException("Empty body.");
    }

    /// <summary>Asserts an RFC 9457 problem with the status and catalog code, and returns it.</summary>
    public static async Task<ProblemResponse> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, ErrorCode code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemResponse>(text, Json)!;
        Assert.Equal((int)code, problem.Code);
        Assert.Equal(code.ToString(), problem.Error);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }

    public static async Task<TopicDescription> CreateTopicAsync(this HttpClient http, string topic, TopicConfiguration? settings = null)
    {
        using var response = await http.PutJsonAsync(Topic(topic), settings ?? new TopicConfiguration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<TopicDescription>();
    }

    public static async Task<SubscriptionDescription> CreateSubscriptionAsync(this HttpClient http, string topic, string subscription, SubscriptionConfiguration? settings = null)
    {
        using var response = await http.PutJsonAsync(Subscription(topic, subscription), settings ?? new SubscriptionConfiguration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<SubscriptionDescription>();
    }

    public static async Task<PublishResponse> PublishAsync(this HttpClient http, string topic, params PublishMessage[] messages)
    {
        using var response = await http.PostJsonAsync(Messages(topic), new PublishRequest { Messages = messages });
        return await response.ReadAsync<PublishResponse>();
    }

    public static PublishMessage JsonMessage(object data, string? id = null) =>
        new() { Id = id, Data = JsonSerializer.SerializeToElement(data, Json) };

    public static async Task<IReadOnlyList<ReceivedMessage>> PullAsync(this HttpClient http, string topic, string subscription, int maxMessages = 10, double waitSeconds = 0)
    {
        using var response = await http.PostJsonAsync(Subscription(topic, subscription, "pull"), new PullRequest { MaxMessages = maxMessages, WaitSeconds = waitSeconds });
        return (await response.ReadAsync<PullResponse>()).Messages;
    }

    /// <summary>Pulls until <paramref name="count"/> messages arrived (each pull waits for the next), failing after a deadline.</summary>
    public static async Task<List<ReceivedMessage>> PullExactlyAsync(this HttpClient http, string topic, string subscription, int count)
    {
        var received = new List<ReceivedMessage>();
        await Eventually.TrueAsync(async () =>
        {
            received.AddRange(await http.PullAsync(topic, subscription, count - received.Count, waitSeconds: 5));
            return received.Count >= count;
        }, $"{count} messages on {topic}/{subscription}");
        return received;
    }
}
