using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// The configured API keys, held as SHA-256 hashes. A presented key is hashed and compared with every configured
/// hash in constant time, so neither the key's length nor which key it resembles shows in the answer's timing.
/// </summary>
internal sealed class ApiKeyStore(IOptions<GatewayAuthOptions> options)
{
    private readonly Lazy<Entry[]> _entries = new(() =>
        [.. options.Value.ApiKeys.Select(key => new Entry(
            Hash(key.Key!),
            key.Name!,
            [.. key.Permissions.Select(p => new Claim(GatewayClaims.Permissions, p.Trim()))]))]);

    /// <summary>The name and permission claims of the key, or null when no configured key matches.</summary>
    public (string Name, IReadOnlyList<Claim> Permissions)? Find(string presented)
    {
        var hash = Hash(presented);
        Entry? found = null;
        foreach (var entry in _entries.Value)
        {
            // No early exit: every key is compared whatever matched.
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
            {
                found = entry;
            }
        }

        return found is null ? null : (found.Name, found.Permissions);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private sealed record Entry(byte[] Hash, string Name, Claim[] Permissions);
}
