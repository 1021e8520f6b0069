using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Grains.Tests;

/// <summary>What the backlog gauge of one subscription shows now, read the way a metrics exporter reads it.</summary>
internal static class BacklogGauge
{
    private const string Name = "actormessaging.subscription.backlog";

    /// <summary>The backlog last reported for the subscription; null when it is not reported.</summary>
    public static long? Read(string topic, string subscription)
    {
        long? value = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter == ActorMessagingTelemetry.Meter && instrument.Name == Name)
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            if (Has(tags, ActorMessagingTelemetry.TopicTag, topic) && Has(tags, ActorMessagingTelemetry.SubscriptionTag, subscription))
            {
                value = measurement;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    private static bool Has(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, string value)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
