namespace Rekernel.Discovery;

/// <summary>
/// Strings made from spans, each distinct value once: the fields every entry of a machine repeats (its title,
/// machine-id, sort-key, options) become one string for a thousand entries instead of a thousand strings.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _strings =
        new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> value)
    {
        if (_strings.TryGetValue(value, out string? known)) return known;
        string made = value.ToString();
        _strings.Dictionary[made] = made;
        return made;
    }
}
