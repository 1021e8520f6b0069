using System.Globalization;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// One row of the chaos table: what was acknowledged and what the checker found. <see cref="Violations"/> lists every
/// broken invariant with an example; an empty list is a pass.
/// </summary>
internal sealed record ChaosResult(
    string Scenario,
    int Acked,
    int Lost,
    int SequenceConflicts,
    int Undelivered,
    int ExactlyOnceRedelivered,
    int Redeliveries,
    int LiveSkipped,
    TimeSpan LongestPublishStall,
    TimeSpan LongestDeliveryGap,
    TimeSpan Bound,
    IReadOnlyList<string> Violations)
{
    public const string Header =
        "| scenario | acked publishes | lost | sequence conflicts | undelivered | exactly-once acks redelivered | at-least-once redeliveries | skipped by live subscribers | longest publish stall | longest delivery gap | bound |\n" +
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|";

    public bool Passed => Violations.Count == 0;

    /// <summary>The longest publish stall with its client's SDK log over it: what each try met.</summary>
    public string LongestStallTrace { get; init; } = string.Empty;

    public string Row => string.Create(CultureInfo.InvariantCulture,
        $"| {Scenario} | {Acked:N0} | {Lost} | {SequenceConflicts} | {Undelivered} | {ExactlyOnceRedelivered} | {Redeliveries:N0} | {LiveSkipped} | {LongestPublishStall.TotalSeconds:F1} s | {LongestDeliveryGap.TotalSeconds:F1} s | {Bound.TotalSeconds:F0} s |");
}
