using System.Text;
using System.Text.RegularExpressions;
using ActorMessaging.Filters;

namespace ActorMessaging.Grains.Tests.Filters;

/// <summary>
/// The LIKE matcher: issue 12 found patterns of about 2,000 characters failing with 500 (the non-backtracking regex
/// automaton it was built on exceeded its size limit). It now compiles any pattern and reads a value once.
/// </summary>
public sealed class LikePatternTests
{
    private static readonly StoredMessage Message = new(
        1, DateTimeOffset.UnixEpoch, "id", Encoding.UTF8.GetBytes("{}"), "application/json", new Dictionary<string, string>(), null);

    [Theory]
    [InlineData(4_000)]
    [InlineData(MessageFilter.MaxLength - 32)]
    public void PatternsUpToTheFilterLimit_Compile_AndMatch(int patternLength)
    {
        // The shape that broke the automaton: many '%a' then '%b'.
        var pattern = string.Concat(Enumerable.Repeat("%a", (patternLength - 2) / 2)) + "%b";
        var filter = MessageFilter.Compile($"note LIKE '{pattern}'");

        Assert.False(filter.Matches(With(new string('a', 2100))));
        Assert.True(filter.Matches(With(new string('a', 2100) + "b")));
        Assert.False(filter.Matches(With(new string('a', 1000) + "b")));
    }

    [Fact]
    public void ALongRunOfUnderscoresAndLiterals_SpanningSeveralWords_IsFound()
    {
        var run = string.Concat(Enumerable.Range(0, 150).Select(i => i % 3 == 0 ? "_" : ((char)('a' + (i % 26))).ToString()));
        var value = new string('z', 500) + run.Replace('_', 'q') + new string('z', 100);
        var filter = MessageFilter.Compile($"note LIKE '%{run}%'");

        Assert.True(filter.Matches(With(value)));
        Assert.False(filter.Matches(With(value.Remove(600, 1))));
    }

    [Fact]
    public void RandomPatterns_AgreeWithABacktrackingRegex()
    {
        // A seeded oracle check over short patterns and values on a small alphabet, where every corner is reached.
        var random = new Random(20261203);
        const string alphabet = "ab_%!";
        for (var round = 0; round < 5_000; round++)
        {
            var pattern = new string([.. Enumerable.Range(0, random.Next(0, 9)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var value = new string([.. Enumerable.Range(0, random.Next(0, 9)).Select(_ => "ab%_!\n"[random.Next(6)])]);
            char? escape = random.Next(2) == 0 ? '!' : null;

            var expected = Oracle(pattern, escape).IsMatch(value);

            var filter = MessageFilter.Compile(escape is null ? $"note LIKE '{pattern}'" : $"note LIKE '{pattern}' ESCAPE '{escape}'");
            Assert.True(filter.Matches(With(value)) == expected, $"'{value}' LIKE '{pattern}' ESCAPE {escape?.ToString() ?? "none"}: expected {expected}");
        }
    }

    private static Regex Oracle(string pattern, char? escape)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape == c && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        // \z, not $: $ also matches before a final line break, which LIKE must not.
        return new Regex(regex.Append(@"\z").ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static StoredMessage With(string note) => Message with { Attributes = new Dictionary<string, string> { ["note"] = note } };
}
