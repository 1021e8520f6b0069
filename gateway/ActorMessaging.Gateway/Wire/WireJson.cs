using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Gateway.Wire;

/// <summary>
/// How the HTTP API and the hub's JSON protocol read what callers send: camelCase like the responses, but strict. Field names match exactly, and
/// unknown fields, duplicate fields and numbers sent as strings are errors, so a misspelt setting never goes unnoticed.
/// </summary>
internal static class WireJson
{
    public static JsonSerializerOptions Requests { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
