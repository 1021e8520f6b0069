using System.Text.RegularExpressions;

namespace ActorMessaging.Operations.Tests.Packaging;

/// <summary>Code blocks read from the repository's READMEs, so the documentation is what the tests build and run.</summary>
internal static partial class MarkdownCode
{
    /// <summary>
    /// The <paramref name="index"/>-th fenced <c>```csharp</c> block under the heading <paramref name="heading"/>
    /// (e.g. "## Quick start") of the markdown file at <paramref name="path"/>, relative to the repository root.
    /// </summary>
    public static string CSharpBlock(string path, string heading, int index = 0)
    {
        var text = "\n" + File.ReadAllText(Path.Combine(RepositoryRoot.Find(), path)).ReplaceLineEndings("\n");
        var start = text.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{path} has no heading '{heading}'.");
        var level = heading[..(heading.IndexOf(' ', StringComparison.Ordinal) + 1)];
        var end = text.IndexOf($"\n{level}", start + heading.Length + 2, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        var blocks = CSharpFence().Matches(section);
        Assert.True(blocks.Count > index, $"{path}, section '{heading}', has {blocks.Count} C# block(s); the test reads block {index + 1}.");
        return blocks[index].Groups["code"].Value;
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpFence();
}
