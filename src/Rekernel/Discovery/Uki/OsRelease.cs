using System.Collections.Immutable;
using System.Text;

namespace Rekernel.Discovery.Uki;

/// <summary>
/// An os-release(5) file: <c>KEY=value</c> lines, values optionally in shell quotes. Lines that are not
/// assignments are ignored, as systemd does.
/// </summary>
public sealed class OsRelease
{
    private OsRelease(ImmutableDictionary<string, string> values) => Values = values;

    public ImmutableDictionary<string, string> Values { get; }

    public string? this[string key] => Values.TryGetValue(key, out string? v) && v.Length > 0 ? v : null;

    /// <summary>The name a boot menu shows (systemd's bootspec_pick_name_version_sort_key): PRETTY_NAME, IMAGE_ID, NAME, then ID.</summary>
    public string? DisplayName => this["PRETTY_NAME"] ?? this["IMAGE_ID"] ?? this["NAME"] ?? this["ID"];

    /// <summary>The version a boot menu shows: IMAGE_VERSION, VERSION, VERSION_ID, then BUILD_ID.</summary>
    public string? DisplayVersion => this["IMAGE_VERSION"] ?? this["VERSION"] ?? this["VERSION_ID"] ?? this["BUILD_ID"];

    /// <summary>The sort key systemd-boot derives for a type #2 entry: IMAGE_ID, then ID.</summary>
    public string? SortKey => this["IMAGE_ID"] ?? this["ID"];

    public static OsRelease Parse(string text)
    {
        var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            string key = line[..eq];
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            values[key] = Unquote(line[(eq + 1)..]);
        }
        return new OsRelease(values.ToImmutable());
    }

    // Shell-style: "double" (with backslash escapes), 'single', or bare.
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var sb = new StringBuilder(value.Length);
        for (int i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1) i++;
            sb.Append(value[i]);
        }
        return sb.ToString();
    }
}
