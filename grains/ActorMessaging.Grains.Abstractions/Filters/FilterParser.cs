using System.Globalization;

namespace ActorMessaging.Filters;

/// <summary>
/// Recursive-descent parser for the filter language; it compiles as it parses, straight into
/// delegates, so a subscription pays for parsing once and evaluation walks no tree of nodes.
/// </summary>
/// <remarks>
/// <code>
/// predicate := and (OR and)*            and := unary (AND unary)*        unary := NOT unary | primary
/// primary   := '(' predicate ')' | EXISTS '(' property ')' | operand test
/// test      := cmp operand | [NOT] IN '(' literal (',' literal)* ')' | [NOT] LIKE string [ESCAPE string] | IS [NOT] NULL
/// operand   := property | string | number | TRUE | FALSE | NULL
/// </code>
/// </remarks>
internal sealed class FilterParser
{
    private const int MaxDepth = 64;
    private static readonly string[] Reserved = ["AND", "OR", "NOT", "IN", "LIKE", "ESCAPE", "IS", "NULL", "EXISTS", "TRUE", "FALSE"];

    private readonly string _text;
    private readonly List<FilterToken> _tokens;
    private int _next;
    private int _depth;

    private FilterParser(string text)
    {
        _text = text;
        _tokens = FilterLexer.Tokenize(text);
    }

    public static Func<StoredMessage, bool?> Parse(string text)
    {
        var parser = new FilterParser(text);
        var predicate = parser.ParseOr();
        parser.Expect(FilterTokenKind.End, "AND, OR or the end of the filter");
        return predicate;
    }

    private FilterToken Current => _tokens[_next];

    private Func<StoredMessage, bool?> ParseOr()
    {
        var left = ParseAnd();
        while (TakeKeyword("OR"))
        {
            var (a, b) = (left, ParseAnd());
            left = m => FilterValues.Or(a(m), b(m));
        }

        return left;
    }

    private Func<StoredMessage, bool?> ParseAnd()
    {
        var left = ParseUnary();
        while (TakeKeyword("AND"))
        {
            var (a, b) = (left, ParseUnary());
            left = m => FilterValues.And(a(m), b(m));
        }

        return left;
    }

    private Func<StoredMessage, bool?> ParseUnary()
    {
        if (++_depth > MaxDepth)
        {
            throw FilterSyntax.Error(_text, Current, $"at most {MaxDepth} nested NOTs and parentheses");
        }

        try
        {
            if (TakeKeyword("NOT"))
            {
                var inner = ParseUnary();
                return m => !inner(m);
            }

            return ParsePrimary();
        }
        finally
        {
            _depth--;
        }
    }

    private Func<StoredMessage, bool?> ParsePrimary()
    {
        if (Take(FilterTokenKind.LeftParen))
        {
            var inner = ParseOr();
            Expect(FilterTokenKind.RightParen, "')' or AND, OR");
            return inner;
        }

        if (TakeKeyword("EXISTS"))
        {
            Expect(FilterTokenKind.LeftParen, "'(' after EXISTS");
            var property = ParseProperty();
            Expect(FilterTokenKind.RightParen, "')' closing EXISTS");
            return m => property(m) is not null;
        }

        var left = ParseOperand();
        return ParseTest(left);
    }

    private Func<StoredMessage, bool?> ParseTest(Func<StoredMessage, object?> left)
    {
        if (TakeKeyword("IS"))
        {
            var negated = TakeKeyword("NOT");
            ExpectKeyword("NULL", negated ? "NULL" : "NULL or NOT NULL");
            return negated ? m => left(m) is not null : m => left(m) is null;
        }

        var not = TakeKeyword("NOT");
        if (TakeKeyword("IN"))
        {
            return Negate(not, ParseIn(left));
        }

        if (TakeKeyword("LIKE"))
        {
            return Negate(not, ParseLike(left));
        }

        if (not)
        {
            throw FilterSyntax.Error(_text, Current, "IN or LIKE after NOT");
        }

        var op = Current;
        Func<int, bool> accept = op.Kind switch
        {
            FilterTokenKind.Equal => static c => c == 0,
            FilterTokenKind.NotEqual => static c => c != 0,
            FilterTokenKind.Less => static c => c < 0,
            FilterTokenKind.LessOrEqual => static c => c <= 0,
            FilterTokenKind.Greater => static c => c > 0,
            FilterTokenKind.GreaterOrEqual => static c => c >= 0,
            _ => throw FilterSyntax.Error(_text, op, "a comparison (=, <>, !=, <, <=, >, >=), IN, LIKE or IS"),
        };
        _next++;
        var right = ParseOperand();
        return m => FilterValues.Compare(left(m), right(m)) is { } sign ? accept(sign) : null;
    }

    private Func<StoredMessage, bool?> ParseIn(Func<StoredMessage, object?> left)
    {
        Expect(FilterTokenKind.LeftParen, "'(' after IN");
        var values = new List<object?>();
        do
        {
            values.Add(ParseLiteral("a literal in the IN list"));
        }
        while (Take(FilterTokenKind.Comma));
        Expect(FilterTokenKind.RightParen, "',' or ')' in the IN list");
        var list = values.ToArray();
        return m =>
        {
            if (left(m) is not { } value)
            {
                return null;
            }

            bool? result = false;
            foreach (var candidate in list)
            {
                result = FilterValues.Or(result, FilterValues.Compare(value, candidate) is { } sign ? sign == 0 : null);
            }

            return result;
        };
    }

    private Func<StoredMessage, bool?> ParseLike(Func<StoredMessage, object?> left)
    {
        var pattern = Current;
        Expect(FilterTokenKind.String, "a quoted pattern after LIKE");
        char? escape = null;
        if (TakeKeyword("ESCAPE"))
        {
            var escapeToken = Current;
            Expect(FilterTokenKind.String, "a quoted escape character after ESCAPE");
            if (escapeToken.Text.Length != 1)
            {
                throw FilterSyntax.Error(_text, escapeToken, "an escape of exactly one character");
            }

            escape = escapeToken.Text[0];
        }

        var matches = LikePattern.Compile(pattern.Text, escape);
        return m => left(m) is string value ? matches(value) : null;
    }

    private Func<StoredMessage, object?> ParseOperand()
    {
        var token = Current;
        if (token.Kind == FilterTokenKind.Identifier && (token.Quoted || !IsReserved(token.Text)))
        {
            return ParseProperty();
        }

        var literal = ParseLiteral("a property name or a literal");
        return _ => literal;
    }

    private Func<StoredMessage, object?> ParseProperty()
    {
        var token = Current;
        if (token.Kind != FilterTokenKind.Identifier || (!token.Quoted && IsReserved(token.Text)))
        {
            throw FilterSyntax.Error(_text, token, "a property name");
        }

        _next++;
        return FilterProperties.Resolve(token.Text, token.Quoted) ?? throw FilterSyntax.Error(_text, token, FilterProperties.Expected);
    }

    private object? ParseLiteral(string expected)
    {
        var token = Current;
        _next++;
        switch (token.Kind)
        {
            case FilterTokenKind.String:
                return token.Text;
            case FilterTokenKind.Number when FilterValues.TryNumber(token.Text, out var number):
                return number;
            case FilterTokenKind.Number:
                throw FilterSyntax.Error(_text, token, "a number");
            case FilterTokenKind.Identifier when token.IsKeyword("TRUE"):
                return true;
            case FilterTokenKind.Identifier when token.IsKeyword("FALSE"):
                return false;
            case FilterTokenKind.Identifier when token.IsKeyword("NULL"):
                return null;
            default:
                _next--;
                throw FilterSyntax.Error(_text, token, expected);
        }
    }

    private static Func<StoredMessage, bool?> Negate(bool negate, Func<StoredMessage, bool?> predicate) =>
        negate ? m => !predicate(m) : predicate;

    private static bool IsReserved(string word) =>
        Array.Exists(Reserved, r => string.Equals(r, word, StringComparison.OrdinalIgnoreCase));

    private bool Take(FilterTokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _next++;
        return true;
    }

    private bool TakeKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(FilterTokenKind kind, string expected)
    {
        if (!Take(kind))
        {
            throw FilterSyntax.Error(_text, Current, expected);
        }
    }

    private void ExpectKeyword(string keyword, string expected)
    {
        if (!TakeKeyword(keyword))
        {
            throw FilterSyntax.Error(_text, Current, expected);
        }
    }
}
