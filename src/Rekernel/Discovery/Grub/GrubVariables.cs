namespace Rekernel.Discovery.Grub;

/// <summary>
/// The variables of one GRUB context. A menu entry or submenu runs in a context of its own that starts as a copy of
/// its menu's: here the copy is an overlay, read through to the outer context and written (and unset) only in
/// itself, so an entry costs the few variables it sets instead of a copy of thirty for each of a thousand entries.
/// </summary>
internal sealed class GrubVariables(GrubVariables? outer = null)
{
    // A null value hides an outer variable this context has unset.
    // An entry sets its title, its positional parameters and a few variables of its own (root, chosen).
    private readonly Dictionary<string, string?> _own = new(8, StringComparer.Ordinal);

    public string this[string name] { set => _own[name] = value; }

    /// <summary>The value, or null when the variable is not set in this context.</summary>
    public string? GetValueOrDefault(string name) => _own.TryGetValue(name, out string? value) ? value : outer?.GetValueOrDefault(name);

    public void Remove(string name)
    {
        if (outer is null) _own.Remove(name);
        else _own[name] = null;
    }
}
