namespace ActorMessaging.Filters;

/// <summary>
/// A run of a LIKE pattern between two <c>%</c>: fixed length, literal characters and <c>_</c>. Finds itself in a value
/// with Shift-And over as many 64-bit words as it has positions / 64: bit <c>i</c> of the state says "the last i + 1
/// characters read fit the first i + 1 positions", so a value is read once, whatever the run.
/// </summary>
internal sealed class LikeRun
{
    private readonly LikeUnit[] _units;

    // Per character, the positions it fits (its own and every '_'); a character the run does not name fits only the '_'s.
    private readonly Dictionary<char, ulong[]> _fits = new();
    private readonly ulong[] _anyFits;
    private readonly int _words;

    public LikeRun(IReadOnlyList<LikeUnit> units)
    {
        _units = [.. units];
        _words = Math.Max(1, (_units.Length + 63) / 64);
        _anyFits = new ulong[_words];
        for (var i = 0; i < _units.Length; i++)
        {
            if (_units[i].IsAny)
            {
                _anyFits[i / 64] |= 1UL << (i % 64);
            }
        }

        for (var i = 0; i < _units.Length; i++)
        {
            if (!_units[i].IsAny)
            {
                if (!_fits.TryGetValue(_units[i].Character, out var mask))
                {
                    _fits[_units[i].Character] = mask = (ulong[])_anyFits.Clone();
                }

                mask[i / 64] |= 1UL << (i % 64);
            }
        }
    }

    public int Length => _units.Length;

    /// <summary>True when the run fits <paramref name="value"/> at <paramref name="start"/> (which leaves room for it).</summary>
    public bool MatchesAt(string value, int start)
    {
        for (var i = 0; i < _units.Length; i++)
        {
            if (!_units[i].Fits(value[start + i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the run first fits entirely within <c>value[from..to)</c>; -1 when nowhere.</summary>
    public int IndexIn(string value, int from, int to)
    {
        if (to - from < _units.Length)
        {
            return -1;
        }

        var last = _units.Length - 1;
        var lastWord = last / 64;
        var lastBit = 1UL << (last % 64);
        var state = new ulong[_words];
        for (var at = from; at < to; at++)
        {
            var fits = _fits.TryGetValue(value[at], out var mask) ? mask : _anyFits;

            // state = ((state << 1) | 1) & fits, the shift carrying from each word into the next.
            var carry = 1UL;
            for (var w = 0; w < _words; w++)
            {
                var word = state[w];
                state[w] = ((word << 1) | carry) & fits[w];
                carry = word >> 63;
            }

            if ((state[lastWord] & lastBit) != 0)
            {
                return at - last;
            }
        }

        return -1;
    }
}
