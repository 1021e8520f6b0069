using System.Text;

namespace ActorMessaging.Filters;

/// <summary>Splits a filter expression into tokens; reports the position of anything it cannot read.</summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, string.Empty, text.Length + 1));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (c == '\'')
            {
                tokens.Add(new FilterToken(FilterTokenKind.String, ReadString(text, ref i), start + 1));
            }
            else if (c == '[')
            {
                var end = text.IndexOf(']', i + 1);
                if (end < 0)
                {
                    throw FilterSyntax.Error(text, start + 1, "']' closing the bracketed name", "the end of the filter");
                }

                tokens.Add(new FilterToken(FilterTokenKind.Identifier, text[(i + 1)..end], start + 1) { Quoted = true });
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '+' or '.' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or 'e' or 'E' || (text[i] is '-' or '+' && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Number, text[start..i], start + 1));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                // sys.messageId, user.color and ce-type read as one name (there is no arithmetic to confuse '-' with).
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-'))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Identifier, text[start..i], start + 1));
            }
            else
            {
                tokens.Add(ReadSymbol(text, ref i));
            }
        }
    }

    private static string ReadString(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw FilterSyntax.Error(text, start + 1, "a closing quote for the string", "the end of the filter");
            }

            if (text[i] == '\'')
            {
                // SQL doubles a quote to write one inside a string.
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }
    }

    private static FilterToken ReadSymbol(string text, ref int i)
    {
        var position = i + 1;
        var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
        (FilterTokenKind Kind, int Length)? symbol = two switch
        {
            "<>" or "!=" => (FilterTokenKind.NotEqual, 2),
            "<=" => (FilterTokenKind.LessOrEqual, 2),
            ">=" => (FilterTokenKind.GreaterOrEqual, 2),
            _ => text[i] switch
            {
                '(' => (FilterTokenKind.LeftParen, 1),
                ')' => (FilterTokenKind.RightParen, 1),
                ',' => (FilterTokenKind.Comma, 1),
                '=' => (FilterTokenKind.Equal, 1),
                '<' => (FilterTokenKind.Less, 1),
                '>' => (FilterTokenKind.Greater, 1),
                _ => null,
            },
        };
        if (symbol is not { } found)
        {
            throw FilterSyntax.Error(text, position, "a name, a literal, an operator or a parenthesis", $"'{text[i]}'");
        }

        var token = new FilterToken(found.Kind, text.Substring(i, found.Length), position);
        i += found.Length;
        return token;
    }
}
