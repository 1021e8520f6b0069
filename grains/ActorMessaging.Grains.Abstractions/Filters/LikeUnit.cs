namespace ActorMessaging.Filters;

/// <summary>One position of a LIKE pattern between two <c>%</c>: a literal character, or <c>_</c> (any one character).</summary>
internal readonly record struct LikeUnit(char Character, bool IsAny)
{
    public static LikeUnit Any { get; } = new('\0', true);

    public static LikeUnit Literal(char character) => new(character, false);

    public bool Fits(char c) => IsAny || c == Character;
}
