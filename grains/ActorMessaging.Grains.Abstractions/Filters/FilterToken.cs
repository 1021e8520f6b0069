namespace ActorMessaging.Filters;

/// <summary>One token of a filter expression; <see cref="Position"/> is 1-based, as error messages report it.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    /// <summary>True for an unquoted identifier spelled like <paramref name="keyword"/> (keywords ignore case).</summary>
    public bool IsKeyword(string keyword) =>
        Kind == FilterTokenKind.Identifier && !Quoted && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>A <c>[bracketed]</c> identifier: never a keyword, may hold any character.</summary>
    public bool Quoted { get; init; }

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "the end of the filter",
        FilterTokenKind.String => $"string '{Text}'",
        _ => $"'{Text}'",
    };
}
