using System.Text;
using System.Text.RegularExpressions;

namespace ActorMessaging.Filters;

/// <summary>A SQL LIKE pattern (<c>%</c> any run, <c>_</c> one character, an optional escape character), matched in linear time.</summary>
internal static class LikePattern
{
    public static Func<string, bool> Compile(string pattern, char? escape)
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
                regex.Append(c switch
                {
                    '%' => ".*",
                    '_' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        // Non-backtracking: a pattern like '%a%a%a%b' must not be a way to stall a subscription.
        var compiled = new Regex(regex.Append('$').ToString(), RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return compiled.IsMatch;
    }
}
