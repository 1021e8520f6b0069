using System.Diagnostics;
using ActorMessaging.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// OpenTelemetry's in-memory exporters listening to the sources and meters the service defaults export. Listeners are
/// process-wide, so tests using this run in <see cref="TelemetryCollection"/>, alone.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly LockedList<Activity> _spans = new();
    private readonly LockedList<MetricSnapshot> _metrics = new();
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _meters;

    public TelemetryCapture()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource([.. TelemetrySources.Traces])
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(_spans)
            .Build();
        _meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. TelemetrySources.Meters])
            .AddInMemoryExporter(_metrics, options => options.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite)
            .Build();
    }

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>Collects now and returns the points of <paramref name="name"/> whose tags include every pair in <paramref name="tags"/>.</summary>
    public IReadOnlyList<MetricPoint> Points(string name, params (string Key, string Value)[] tags)
    {
        _metrics.Clear();
        _meters.ForceFlush();
        var metric = _metrics.Snapshot().LastOrDefault(m => m.Name == name);
        if (metric is null)
        {
            return [];
        }

        return [.. metric.MetricPoints.Where(point => tags.All(tag => HasTag(point, tag.Key, tag.Value)))];
    }

    public long Sum(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetSumLong());

    public long HistogramCount(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetHistogramCount());

    public long? GaugeLong(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags) is [var point] ? point.GetGaugeLastValueLong() : null;

    public double? GaugeDouble(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags) is [var point] ? point.GetGaugeLastValueDouble() : null;

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _meters.Dispose();
    }

    /// <summary>Exporters add from other threads while a test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count { get { lock (_items) { return _items.Count; } } }

        public bool IsReadOnly => false;

        public List<T> Snapshot() { lock (_items) { return [.. _items]; } }

        public void Add(T item) { lock (_items) { _items.Add(item); } }

        public void Clear() { lock (_items) { _items.Clear(); } }

        public bool Contains(T item) { lock (_items) { return _items.Contains(item); } }

        public void CopyTo(T[] array, int arrayIndex) { lock (_items) { _items.CopyTo(array, arrayIndex); } }

        public bool Remove(T item) { lock (_items) { return _items.Remove(item); } }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
