using ActorMessaging.Gateway.Wire;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorMessaging.Gateway.Wire;

/// <summary>
/// What a JSON <c>data</c> payload may hold beyond being JSON: text that is valid Unicode (an escaped lone surrogate
/// such as <c>"\ud800"</c> would be stored as U+FFFD, altering what the publisher sent) and numbers that are finite as
/// doubles (<c>1e309</c> reaches a JavaScript subscriber as <c>Infinity</c>). HTTP and both hub protocols share
/// <see cref="WireMapping.ToOutgoing"/>, so the rule is the same everywhere.
/// </summary>
internal static class JsonPayloadRules
{
    /// <summary>Null when <paramref name="data"/> may be stored as it is, else what is wrong with it.</summary>
    public static string? Problem(JsonElement data)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in data.EnumerateObject())
                {
                    if (!IsValidName(property))
                    {
                        return "has a field name in 'data' that is not valid Unicode (a lone surrogate)";
                    }

                    if (Problem(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in data.EnumerateArray())
                {
                    if (Problem(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return IsValidString(data) ? null : "has a string in 'data' that is not valid Unicode (a lone surrogate)";
            case JsonValueKind.Number:
                return data.TryGetDouble(out var value) && double.IsFinite(value)
                    ? null
                    : $"has the number {Shorten(data.GetRawText())} in 'data', which is not a finite double";
            default:
                return null;
        }
    }

    // A lone surrogate can only come from a \u escape (the parser refuses invalid UTF-8), and reading one throws (it
    // cannot be transcoded). So only text with an escape is read: the usual payload allocates nothing here, and this
    // runs for every string of every published JSON payload. Two methods, not a delegate, for the same reason.
    private static bool IsValidString(JsonElement text)
    {
        if (!JsonMarshal.GetRawUtf8Value(text).Contains((byte)'\\'))
        {
            return true;
        }

        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsValidName(JsonProperty property)
    {
        if (!JsonMarshal.GetRawUtf8PropertyName(property).Contains((byte)'\\'))
        {
            return true;
        }

        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
