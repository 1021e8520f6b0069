using Microsoft.Net.Http.Headers;

namespace ActorMessaging.Gateway.Console;

/// <summary>One static file of the web console, read once from the gateway assembly.</summary>
/// <param name="Path">The path under <c>Console/wwwroot</c> with forward slashes, e.g. <c>js/app.js</c>.</param>
/// <param name="Contents">The file's bytes.</param>
/// <param name="ContentType">The media type it is served with.</param>
/// <param name="ETag">A strong validator derived from the contents, so browsers revalidate cheaply.</param>
internal sealed record ConsoleFile(string Path, ReadOnlyMemory<byte> Contents, string ContentType, EntityTagHeaderValue ETag);
