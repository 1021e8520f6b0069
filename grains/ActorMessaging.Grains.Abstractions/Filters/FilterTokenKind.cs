namespace ActorMessaging.Filters;

/// <summary>The kinds of token a filter expression is made of.</summary>
internal enum FilterTokenKind
{
    End,
    Identifier,
    String,
    Number,
    LeftParen,
    RightParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
