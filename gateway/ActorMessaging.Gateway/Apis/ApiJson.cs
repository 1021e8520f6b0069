using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Gateway.Apis;

/// <summary>
/// How the HTTP API reads request bodies: camelCase like the responses, but strict. Field names match exactly, and
/// unknown fields, duplicate fields and numbers sent as strings are errors, so a misspelt setting never goes unnoticed.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Requests { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
