using System.Net;
using System.Text;
using System.Text.Json;

namespace ActorMessaging.Testing.Fuzz;

/// <summary>
/// Sends generated requests (<see cref="FuzzInputs"/>) to every route of the HTTP API. Half are about a real topic and
/// subscription, never replacing or deleting them, so the topic afterwards holds exactly the publishes accepted.
/// </summary>
public static class HttpFuzz
{
    private const string MessagesSuffix = "/messages";

    /// <param name="http">A client of the gateway, with whatever credential the run should have.</param>
    /// <param name="routes">The API's routes, e.g. <c>("POST", "/v1/topics/{topic}/messages")</c>.</param>
    /// <param name="topic">An existing topic with a subscription named <paramref name="subscription"/>.</param>
    /// <param name="subscription">The subscription of <paramref name="topic"/>.</param>
    /// <param name="seed">Seeds the generator; the same seed sends the same requests.</param>
    /// <param name="rounds">How many requests.</param>
    public static async Task<HttpFuzzOutcome> RunAsync(HttpClient http, IReadOnlyList<(string Method, string Route)> routes, string topic, string subscription, int seed, int rounds)
    {
        var inputs = new FuzzInputs(seed);
        var errors = new List<string>();
        var refused = 0;
        long accepted = 0;
        for (var round = 0; round < rounds; round++)
        {
            var (method, route) = inputs.Pick(routes);
            var real = method is not ("PUT" or "DELETE") && inputs.Next(2) == 0;
            var path = route.Replace("{topic}", real ? topic : inputs.Name(), StringComparison.Ordinal)
                .Replace("{subscription}", real ? subscription : inputs.Name(), StringComparison.Ordinal);
            if (method == "GET" && inputs.Next(3) == 0)
            {
                path += $"?pageSize={Uri.EscapeDataString(inputs.Pick(["0", "1", "-1", "1001", "x", "1e3"]))}&prefix={inputs.Name()}&pageToken={inputs.Name()}";
            }

            var body = route.EndsWith(MessagesSuffix, StringComparison.Ordinal) && inputs.Next(10) < 7 ? inputs.PublishBody()
                : method is "POST" or "PUT" ? inputs.Body() : null;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                errors.Add($"seed {seed} round {round}: {method} {path} {body} -> {(int)response.StatusCode} {text}");
            }
            else if ((int)response.StatusCode >= 400)
            {
                refused++;
            }
            else if (real && method == "POST" && route.EndsWith(MessagesSuffix, StringComparison.Ordinal))
            {
                accepted += JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().Count(r => !r.GetProperty("duplicate").GetBoolean());
            }
        }

        return new HttpFuzzOutcome(seed, rounds, refused, errors, accepted);
    }
}
