using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Refuses a JSON hub invocation nested deeper than <see cref="MaxDepth"/> as a typed error on that invocation. The JSON
/// hub protocol reads a whole frame with System.Text.Json's default depth limit, and a frame it cannot read closes the
/// connection, with every subscription on it: one hostile or buggy argument would cost a client all of its calls. The
/// invocation becomes an <see cref="InvocationBindingFailureMessage"/> instead, which the dispatcher answers with an
/// error (typed 1007 by <see cref="HubErrorProtocol"/>) while the connection stays.
/// </summary>
internal static class HubJsonDepthGuard
{
    /// <summary>The depth the JSON hub protocol reads: System.Text.Json's default, as for HTTP bodies.</summary>
    public const int MaxDepth = 64;

    private const byte RecordSeparator = 0x1e;

    // Hub message types that carry an invocation id and a target (SignalR's HubProtocolConstants).
    private const int InvocationType = 1;
    private const int StreamInvocationType = 4;

    /// <summary>
    /// True when the next frame of <paramref name="input"/> is an invocation nested too deeply: it is consumed and
    /// <paramref name="refused"/> stands for it. False for anything else (left for the protocol to read as it is).
    /// </summary>
    public static bool TryRefuse(ref ReadOnlySequence<byte> input, [NotNullWhen(true)] out HubMessage? refused)
    {
        refused = null;
        if (input.PositionOf(RecordSeparator) is not { } end)
        {
            return false;
        }

        // Counting brackets is vectorized and rules out almost every frame; only a frame with more than MaxDepth of them is read.
        var frame = input.Slice(0, end);
        if (Brackets(frame) <= MaxDepth || !TryRead(frame, out var invocation) || invocation.Depth <= MaxDepth
            || invocation.Type is not (InvocationType or StreamInvocationType))
        {
            return false;
        }

        input = input.Slice(input.GetPosition(1, end));
        refused = new InvocationBindingFailureMessage(invocation.Id, invocation.Target ?? string.Empty,
            ExceptionDispatchInfo.Capture(new InvalidDataException($"The invocation is nested deeper than {MaxDepth} levels.")));
        return true;
    }

    private static long Brackets(ReadOnlySequence<byte> frame)
    {
        long count = 0;
        foreach (var segment in frame)
        {
            count += segment.Span.Count((byte)'[') + segment.Span.Count((byte)'{');
        }

        return count;
    }

    /// <summary>The frame's depth and its top-level type, invocation id and target; false when it is not valid JSON.</summary>
    private static bool TryRead(ReadOnlySequence<byte> frame, out (int Depth, int? Type, string? Id, string? Target) invocation)
    {
        invocation = default;

        // The frame is at most the hub's receive limit, so its depth is too; the reader's depth bookkeeping is a bit each.
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = (int)Math.Min(frame.Length + 1, int.MaxValue) });
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    invocation.Depth = Math.Max(invocation.Depth, reader.CurrentDepth + 1);
                }

                // The value of a top-level property is the token after its name.
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = reader.GetString();
                    continue;
                }

                switch (property)
                {
                    case "type" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var type):
                        invocation.Type = type;
                        break;
                    case "invocationId" when reader.TokenType == JsonTokenType.String:
                        invocation.Id = reader.GetString();
                        break;
                    case "target" when reader.TokenType == JsonTokenType.String:
                        invocation.Target = reader.GetString();
                        break;
                }

                property = null;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
