using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ActorMessaging.Gateway.Console;

/// <summary>
/// The console's static files, embedded in the gateway assembly (see the csproj: <c>Console/wwwroot/**</c> as
/// resources named <c>console/{path}</c>), so the console is served the same way co-hosted in the silo and in
/// the standalone gateway, whatever the content root.
/// </summary>
internal sealed class ConsoleFiles
{
    /// <summary>The prefix of the embedded resource names that are console files.</summary>
    public const string ResourcePrefix = "console/";

    private readonly FrozenDictionary<string, ConsoleFile> _files;

    public ConsoleFiles()
        : this(typeof(ConsoleFiles).Assembly)
    {
    }

    public ConsoleFiles(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var contentTypes = new FileExtensionContentTypeProvider();
        var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // %(RecursiveDir) in the resource name carries the build machine's directory separator.
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded console file '{resource}' could not be opened.");
            var contents = new byte[stream.Length];
            stream.ReadExactly(contents);

            var path = name[ResourcePrefix.Length..];
            var contentType = contentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (contentType.StartsWith("text/", StringComparison.Ordinal))
            {
                contentType += "; charset=utf-8";
            }

            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(contents).AsSpan(0, 12))}\"");
            files[path] = new ConsoleFile(path, contents, contentType, etag);
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool TryGet(string path, [NotNullWhen(true)] out ConsoleFile? file) => _files.TryGetValue(path, out file);
}
