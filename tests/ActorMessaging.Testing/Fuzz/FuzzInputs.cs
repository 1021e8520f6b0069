using System.Globalization;
using System.Text;

namespace ActorMessaging.Testing.Fuzz;

/// <summary>
/// Seeded generators of hostile input: JSON that is almost right (wrong types, unknown and mis-cased fields, huge or
/// non-finite numbers, lone surrogates, control characters, deep nesting, truncation), odd names, and filter
/// expressions. The same seed gives the same inputs, so a failure names its seed and can be replayed.
/// </summary>
public sealed class FuzzInputs(int seed)
{
    private static readonly string[] Fields =
    [
        "messages", "data", "dataBase64", "id", "contentType", "attributes", "orderingKey", "deliverAt", "ttlSeconds",
        "maxMessages", "waitSeconds", "ackIds", "delaySeconds", "seconds", "sequence", "time", "filter", "startAt",
        "ackDeadlineSeconds", "maxDeliveryAttempts", "retentionSeconds", "retainAckedMessages", "exactlyOnce",
        "MESSAGES", "Data", "colour", "$type", "__proto__",
    ];

    private static readonly string[] Strings =
    [
        "", "x", "orders", "earliest", "latest", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "not-a-date",
        "AQID", "not base64!", "\u0000", "a\r\nb", "\ud800", "\udc00x", "😀", "%", "_", "' OR 1=1 --", "../../etc",
        new string('a', 300), new string('é', 2000),
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "1", "0.5", "1e3", "1e309", "-1e309", "1E-400", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "3.4028235e38", "NaN", "Infinity", "01", "1.", ".5",
    ];

    private static readonly string[] FilterTokens =
    [
        "color", "sys.messageId", "sys.sequence", "[odd name]", "'red'", "''", "'it''s'", "5", "-2.5", "1e309", "TRUE",
        "NULL", "=", "<>", "!=", "<", ">=", "AND", "OR", "NOT", "IN", "LIKE", "ESCAPE", "'!'", "'%a_%'", "IS", "EXISTS",
        "(", ")", ",", "'", "[", "]", "\u0000", "😀", "%%%%", "'" + new string('%', 50) + "'",
    ];

    private readonly Random _random = new(seed);

    public int Seed => seed;

    /// <summary>A JSON text for a request body: mostly a plausible object, sometimes anything at all.</summary>
    public string Body()
    {
        var json = _random.Next(10) switch
        {
            0 => Value(0),
            1 => Nested(_random.Next(60, 200)),
            2 or 3 => $"{{\"messages\":[{{\"data\":{Value(1)}}}]}}",
            4 => $"{{\"messages\":[{{\"data\":{Value(1)},\"{Escape(Pick(Fields))}\":{Value(1)}}}]}}",
            _ => Object(0),
        };
        return _random.Next(12) switch
        {
            0 => json[..Math.Max(0, json.Length - _random.Next(1, 5))],
            1 => json + "}",
            2 => string.Empty,
            _ => json,
        };
    }

    /// <summary>A publish request with one or two messages of random data and now and then a random extra field.</summary>
    public string PublishBody()
    {
        var messages = Enumerable.Range(0, _random.Next(1, 3)).Select(_ => _random.Next(3) == 0
            ? $"{{\"data\":{Value(1)},\"{Escape(Pick(Fields))}\":{Value(1)}}}"
            : $"{{\"data\":{Value(1)}}}");
        return "{\"messages\":[" + string.Join(",", messages) + "]}";
    }

    /// <summary>A name for a route segment: valid, or one of many ways not to be.</summary>
    public string Name() => _random.Next(6) switch
    {
        0 => "orders",
        1 => Uri.EscapeDataString(Pick(Strings)),
        2 => "a" + new string('b', _random.Next(200, 300)),
        3 => Uri.EscapeDataString("..") + "%2F" + "x",
        4 => Uri.EscapeDataString(new string((char)_random.Next(1, 0x3000), _random.Next(1, 4))),
        _ => "fz-" + _random.Next(1000).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A filter expression of random tokens (sometimes a valid one).</summary>
    public string Filter()
    {
        var text = new StringBuilder();
        for (var i = _random.Next(1, 24); i > 0; i--)
        {
            text.Append(Pick(FilterTokens)).Append(_random.Next(4) == 0 ? string.Empty : " ");
        }

        return text.ToString();
    }

    /// <summary>A hub argument of a random shape.</summary>
    public object? Argument() => _random.Next(8) switch
    {
        0 => null,
        1 => Pick(Strings),
        2 => _random.Next(-5, 5),
        3 => double.MaxValue,
        4 => new[] { Pick(Strings), Pick(Strings) },
        5 => new Dictionary<string, object?> { [Pick(Fields)] = Pick(Strings), [Pick(Fields)] = _random.Next(-3, 3) },
        6 => new[] { new Dictionary<string, object?> { [Pick(Fields)] = Pick(Strings) } },
        _ => true,
    };

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public int Next(int max) => _random.Next(max);

    private string Object(int depth)
    {
        var fields = Enumerable.Range(0, _random.Next(0, 5)).Select(_ => $"\"{Escape(Pick(Fields))}\":{Value(depth + 1)}");
        return "{" + string.Join(",", fields) + "}";
    }

    private string Value(int depth) => _random.Next(depth > 4 ? 3 : 7) switch
    {
        0 => $"\"{Escape(Pick(Strings))}\"",
        1 => Pick(Numbers),
        2 => _random.Next(2) == 0 ? "null" : "true",
        3 => Object(depth),
        4 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Value(depth + 1))) + "]",
        5 => "{\"messages\":[" + Object(depth + 1) + "]}",
        _ => "[" + Object(depth + 1) + "]",
    };

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c is '"' or '\\' || c < ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
