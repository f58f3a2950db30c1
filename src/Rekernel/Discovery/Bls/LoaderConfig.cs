using System.Collections.Immutable;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// systemd-boot's <c>loader/loader.conf</c> on the ESP: the key that decides which entry boots. Parsed like
/// <c>config_defaults_load_from_file</c> in src/boot/boot.c, so its other keys are recognised (not reported as
/// unknown) but not kept: nothing in rekernel depends on them.
/// </summary>
public sealed record LoaderConfig
{
    public static readonly LoaderConfig Empty = new();

    /// <summary>The <c>default</c> glob (or <c>@saved</c>); null when absent or an unsupported <c>@…</c> name.</summary>
    public string? Default { get; init; }
    /// <summary>The file it was read from, inside the root; null for <see cref="Empty"/>.</summary>
    public string? Path { get; init; }

    /// <summary>Where systemd-boot's ESP may be mounted; the first <c>loader/loader.conf</c> found wins.</summary>
    public static readonly ImmutableArray<string> Locations =
        ["/efi/loader/loader.conf", "/boot/efi/loader/loader.conf", "/boot/loader/loader.conf"];

    private static readonly ImmutableHashSet<string> KnownKeys = ImmutableHashSet.Create(StringComparer.Ordinal,
        "default", "timeout", "editor", "auto-entries", "auto-firmware", "auto-poweroff", "auto-reboot", "beep",
        "reboot-for-bitlocker", "reboot-on-error", "secure-boot-enroll", "secure-boot-enroll-action",
        "secure-boot-enroll-timeout-sec", "console-mode", "log-level", "random-seed-mode", "preferred");

    /// <summary>The first loader.conf in <see cref="Locations"/>, or <see cref="Empty"/>.</summary>
    public static LoaderConfig Load(BootRoot root, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (string location in Locations)
        {
            if (root.ReadText(location) is { } text) return Parse(text, location, diagnostics);
        }
        return Empty;
    }

    /// <summary>Parses loader.conf text; unknown keys and bad values are reported and ignored.</summary>
    public static LoaderConfig Parse(string text, string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        string? defaultPattern = null;
        int lineNo = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim(' ', '\t', '\r');
            if (line.Length == 0 || line[0] == '#') continue;
            int sep = line.IndexOfAny([' ', '\t']);
            if (sep < 0)
            {
                diagnostics.Add(new Diagnostic(path, lineNo, "field without value, ignoring line"));
                continue;
            }
            string key = line[..sep];
            string value = line[sep..].TrimStart(' ', '\t');
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            if (!KnownKeys.Contains(key))
            {
                diagnostics.Add(new Diagnostic(path, lineNo, $"unknown key '{(key.Length > 64 ? key[..64] : key)}', ignoring line"));
                continue;
            }
            if (key == "default")
            {
                // systemd-boot accepts only @saved among the special names.
                if (value.StartsWith('@') && !value.Equals("@saved", StringComparison.OrdinalIgnoreCase))
                {
                    diagnostics.Add(new Diagnostic(path, lineNo, $"unsupported special entry identifier '{value}', ignoring line"));
                    continue;
                }
                defaultPattern = value;
            }
        }
        return new LoaderConfig { Default = defaultPattern, Path = path };
    }
}
