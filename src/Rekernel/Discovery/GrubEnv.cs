using System.Collections.Immutable;

namespace Rekernel.Discovery;

/// <summary>
/// GRUB's environment block (<c>grubenv</c>): a 1024-byte file of <c>key=value</c> lines padded with <c>#</c>.
/// RHEL 8 keeps <c>kernelopts</c> and <c>tuned_*</c> here for BLS entries; every distribution keeps
/// <c>saved_entry</c> and <c>next_entry</c> here.
/// </summary>
public sealed class GrubEnv
{
    /// <summary>Where GRUB looks for its environment block, first match wins.</summary>
    public static readonly ImmutableArray<string> Locations =
        ["/boot/grub2/grubenv", "/boot/grub/grubenv", "/boot/efi/EFI/fedora/grubenv", "/boot/efi/EFI/redhat/grubenv", "/boot/efi/EFI/centos/grubenv", "/boot/efi/EFI/rocky/grubenv", "/boot/efi/EFI/almalinux/grubenv"];

    /// <summary>The one-shot entry <c>grub-reboot</c> sets for the next boot.</summary>
    public const string NextEntry = "next_entry";

    public static readonly GrubEnv Empty = new(ImmutableDictionary<string, string>.Empty, null);

    private GrubEnv(ImmutableDictionary<string, string> values, string? path)
    {
        Values = values;
        Path = path;
    }

    public ImmutableDictionary<string, string> Values { get; }

    /// <summary>The file it was read from, inside the root; null for <see cref="Empty"/>.</summary>
    public string? Path { get; }

    public string? this[string key] => Values.TryGetValue(key, out string? v) ? v : null;

    /// <summary>The first environment block found in <see cref="Locations"/>, or <see cref="Empty"/>.</summary>
    public static GrubEnv Load(BootRoot root)
    {
        foreach (string location in Locations)
        {
            if (root.ReadText(location) is { } text) return Parse(text, location);
        }
        return Empty;
    }

    /// <summary>Parses the text of an environment block; lines without <c>=</c> and comments are ignored, as GRUB does.</summary>
    public static GrubEnv Parse(string text, string? path = null)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            if (raw.StartsWith('#')) continue;
            int eq = raw.IndexOf('=');
            if (eq <= 0) continue;
            values[raw[..eq]] = Unescape(raw[(eq + 1)..]);
        }
        return new GrubEnv(values.ToImmutable(), path);
    }

    // grub-editenv escapes '\\' and newlines with a backslash.
    private static string Unescape(string value)
    {
        if (!value.Contains('\\')) return value;
        var sb = new System.Text.StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length) { i++; sb.Append(value[i] == 'n' ? '\n' : value[i]); }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }
}
