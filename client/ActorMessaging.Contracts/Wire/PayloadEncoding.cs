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
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
