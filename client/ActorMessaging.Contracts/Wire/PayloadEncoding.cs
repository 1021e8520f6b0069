using System.Text.Json;

namespace ActorMessaging.Contracts;

/// <summary>How payloads cross JSON: JSON content as a JSON value, everything else as base64.</summary>
public static class PayloadEncoding
{
    public const string JsonContentType = "application/json";

    /// <summary>True for <c>application/json</c> and <c>*+json</c> content types (parameters ignored).</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var media = contentType.Split(';', 2)[0].Trim();
        return media.Equals(JsonContentType, StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The payload as a JSON value when it is JSON and parses, otherwise null (send it as base64).</summary>
    public static JsonElement? TryAsJson(ReadOnlyMemory<byte> data, string? contentType)
    {
        if (!IsJson(contentType) || data.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data);

            // JSON may escape half a surrogate pair ("\ud800"): it parses, but cannot be written back as text,
            // so such a payload travels as bytes rather than break every delivery that carries it.
            return MayEscapeSurrogates(data.Span) && !HasOnlyWholeStrings(document.RootElement) ? null : document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool MayEscapeSurrogates(ReadOnlySpan<byte> json) =>
        json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0;

    private static bool HasOnlyWholeStrings(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!HasOnlyWholeStrings(item))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (!HasOnlyWholeStrings(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
