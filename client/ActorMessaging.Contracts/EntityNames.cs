using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ActorMessaging;

/// <summary>Rules for topic and subscription names. Invalid names are rejected, never rewritten.</summary>
public static partial class EntityNames
{
    /// <summary>The longest allowed name.</summary>
    public const int MaxLength = 200;

    /// <summary>The pattern every topic and subscription name matches.</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$";

    /// <summary>True when <paramref name="name"/> is a valid topic or subscription name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => name is not null && NameRegex().IsMatch(name);

    // \z rather than $: $ would also accept a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
