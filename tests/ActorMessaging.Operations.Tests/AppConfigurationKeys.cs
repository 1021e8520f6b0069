using System.Collections;
using System.Reflection;
using ActorMessaging.Configuration;
using ActorMessaging.Gateway;
using ActorMessaging.Hosting;
using ActorMessaging.ServiceDefaults;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Operations.Tests;

/// <summary>
/// The configuration keys the app binds: every property path under each options type that declares a
/// <c>SectionName</c> in the silo, gateway and service-defaults assemblies, plus the host's own keys.
/// </summary>
internal static class AppConfigurationKeys
{
    /// <summary>Read by the host itself or by OpenTelemetry, not by an options type.</summary>
    private static readonly string[] HostKeys = ["Urls", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "DOTNET_gcServer", ServiceDefaultsExtensions.OtlpEndpointKey, "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"];

    private static readonly Assembly[] AppAssemblies = [typeof(ActorMessagingSettings).Assembly, typeof(MigrateCommand).Assembly, typeof(GatewayHostingExtensions).Assembly, typeof(TelemetryOptions).Assembly];

    /// <summary>Key patterns, segments separated by ':' with <c>{n}</c> for a list index.</summary>
    public static IReadOnlyList<string> Patterns { get; } = Build();

    /// <summary>Whether the app reads <paramref name="key"/> (':'-separated; environment variables use '__').</summary>
    public static bool IsRead(string key)
    {
        var segments = key.Replace("__", ":", StringComparison.Ordinal).Split(':');
        return Patterns.Any(pattern => Matches(pattern.Split(':'), segments));
    }

    private static bool Matches(string[] pattern, string[] key) =>
        pattern.Length == key.Length && pattern.Zip(key).All(p => p.First == "{n}" ? int.TryParse(p.Second, out _) : string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    private static List<string> Build()
    {
        var patterns = new List<string>(HostKeys);
        foreach (var type in AppAssemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
            {
                AddProperties(type, section, patterns, depth: 0);
            }
        }

        return patterns;
    }

    private static void AddProperties(Type type, string prefix, List<string> patterns, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || IsCollection(p.PropertyType)))
        {
            AddValue(property.PropertyType, $"{prefix}:{property.Name}", patterns, depth);
        }
    }

    private static void AddValue(Type type, string key, List<string> patterns, int depth)
    {
        var element = ElementOf(type);
        if (element is not null)
        {
            AddValue(element, $"{key}:{{n}}", patterns, depth + 1);
        }
        else if (IsLeaf(type) || depth > 4)
        {
            patterns.Add(key);
        }
        else
        {
            AddProperties(type, key, patterns, depth + 1);
        }
    }

    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(DateTimeOffset);
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : IsCollection(type) && type.IsGenericType ? type.GetGenericArguments()[^1]
        : null;
}
