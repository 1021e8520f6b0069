using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;

namespace ActorMessaging.Bench;

/// <summary>
/// The HTTP calls of <c>scale</c>: a create (PUT topic with its subscription, POST one message, each call timed), a prefix
/// listing and a single publish. C callers share one connection pool; a failed call counts as an error, not retried.
/// </summary>
internal sealed class ScaleLoad : IDisposable
{
    // The bulk-friendly create: the topic and its subscription in one call.
    private const string TopicBody = """{"subscriptions":{"sub-1":{"startAt":"earliest"}}}""";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private const int SampleCharacters = 300;

    private readonly HttpClient _http;
    private readonly string _publishBody;
    private readonly ConcurrentDictionary<string, (int Count, string Sample)> _failures = new(StringComparer.Ordinal);

    public ScaleLoad(Uri address, int callers)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = callers + 4 }) { BaseAddress = address, Timeout = CallTimeout };
        var payload = new byte[ScaleOptions.PayloadBytes];
        Random.Shared.NextBytes(payload);
        _publishBody = JsonSerializer.Serialize(new PublishRequest { Messages = [new PublishMessage { DataBase64 = Convert.ToBase64String(payload) }] }, JsonSerializerOptions.Web);
    }

    /// <summary>Creates topic <paramref name="k"/> with its subscription and message; records each call's time and the whole.</summary>
    public async Task<bool> CreateAsync(int k, ScaleRecorders recorders)
    {
        var topic = Uri.EscapeDataString(ScaleOptions.TopicName(k));
        var start = Stopwatch.GetTimestamp();
        var ok = Record(await CallAsync("PUT topic", () => _http.PutAsync($"v1/topics/{topic}", Json(TopicBody))), recorders.Topic)
            && Record(await CallAsync("POST message", () => _http.PostAsync($"v1/topics/{topic}/messages", Json(_publishBody))), recorders.Message);
        if (ok)
        {
            recorders.Create.Record(Stopwatch.GetTimestamp() - start);
        }

        return ok;
    }

    /// <summary>One page of <see cref="ScaleOptions.ListPageSize"/> names under <see cref="ScaleOptions.ListedPrefix"/>: elapsed ticks and names returned.</summary>
    public async Task<(long Ticks, int Names)> ListAsync()
    {
        var start = Stopwatch.GetTimestamp();
        var page = await _http.GetFromJsonAsync<TopicList>($"v1/topics?prefix={ScaleOptions.ListedPrefix}&pageSize={ScaleOptions.ListPageSize}");
        return (Stopwatch.GetTimestamp() - start, page?.Topics.Count ?? 0);
    }

    /// <summary>Publishes one message to topic <paramref name="k"/>; elapsed ticks, or null when it failed.</summary>
    public Task<long?> PublishAsync(int k) =>
        CallAsync("POST message after idle", () => _http.PostAsync($"v1/topics/{Uri.EscapeDataString(ScaleOptions.TopicName(k))}/messages", Json(_publishBody)));

    /// <summary>The silo's grain activations (Orleans' <c>orleans-catalog-activations</c> gauge on <c>/metrics</c>, summed over grain types), or null when not read.</summary>
    public async Task<long?> ActivationsAsync()
    {
        try
        {
            // One line per grain type.
            const string Gauge = "orleans_catalog_activations";
            var metrics = await _http.GetStringAsync("metrics");
            long? total = null;
            foreach (var line in metrics.Split('\n'))
            {
                if (line.StartsWith(Gauge, StringComparison.Ordinal) && line.Length > Gauge.Length && line[Gauge.Length] is '{' or ' ')
                {
                    total = (total ?? 0) + (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return total;
        }
        catch (HttpRequestException)
        {
        }

        return null;
    }

    /// <summary>The failed calls so far: per call and answer (status code or exception), how many, and the first one's body or message.</summary>
    public IEnumerable<string> Failures() =>
        _failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ×{f.Value.Count}: {f.Value.Sample}");

    public void Dispose() => _http.Dispose();

    // Elapsed ticks of a call answered 2xx; null for any other answer, a refused connection or a timeout.
    private async Task<long?> CallAsync(string name, Func<Task<HttpResponseMessage>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            if (response.IsSuccessStatusCode)
            {
                return Stopwatch.GetTimestamp() - start;
            }

            var body = await response.Content.ReadAsStringAsync();
            Fail($"{name} → {(int)response.StatusCode}", body);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Fail($"{name} → {exception.GetType().Name}", exception.Message);
        }

        return null;
    }

    private void Fail(string key, string sample) =>
        _failures.AddOrUpdate(key, _ => (1, sample.Length > SampleCharacters ? sample[..SampleCharacters] + "…" : sample), (_, f) => (f.Count + 1, f.Sample));

    private static bool Record(long? ticks, LatencyRecorder recorder)
    {
        if (ticks is { } elapsed)
        {
            recorder.Record(elapsed);
        }

        return ticks is not null;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
