using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Rekernel.Native;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// Reads Boot Loader Specification type #1 entries (<c>loader/entries/*.conf</c>) from the partitions systemd
/// and GRUB's blscfg look at, and returns them in systemd-boot's menu order. Loading follows systemd-boot and
/// bootctl: a bad line is reported and skipped, an entry that cannot boot is reported and skipped.
/// </summary>
public static class BlsReader
{
    /// <summary>Where an ESP or XBOOTLDR partition is mounted; each holds its own <c>loader/entries</c>.</summary>
    public static readonly ImmutableArray<string> PartitionRoots = ["/efi", "/boot", "/boot/efi"];

    // systemd's LONG_LINE_MAX: a longer line makes the whole entry invalid.
    private const int LongLineMax = 1024 * 1024;

    /// <summary>
    /// Every entry on every partition, sorted with <see cref="SystemdBootOrder.Compare"/>; <c>$var</c> in
    /// <c>options</c> and <c>initrd</c> takes its value from <paramref name="env"/> (RHEL 8 keeps <c>kernelopts</c>
    /// there). Under GRUB, <c>blscfg</c> expands them again from the script's variables (<see cref="Expand"/>).
    /// </summary>
    public static BlsScan Read(BootRoot root, GrubEnv env)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(env);
        var diagnostics = new List<Diagnostic>();
        var found = new List<(BootEntry Entry, BlsEntry File)>();
        var seenDirs = new HashSet<string>(StringComparer.Ordinal);
        var seenFiles = new HashSet<(uint, uint, ulong)>();
        var values = new StringPool();

        foreach (string partition in PartitionRoots)
        {
            string dir = partition + "/loader/entries";
            // A partition reached twice (a symlink, or /boot/efi bind-mounted on /efi) is read once.
            if (root.ResolveInRoot(dir) is not { } canonicalDir || !seenDirs.Add(canonicalDir)) continue;
            if (FileIdentity.Of(root.Resolve(dir)) is { } dirId && !seenDirs.Add(dirId)) continue;

            string[] paths = [.. root.ListFiles(dir).Where(IsEntryFileName).Select(name => dir + "/" + name)];
            // The listing said what each entry is, so a regular one is opened at once; its descriptor says which file it is.
            int i = 0;
            foreach ((string? text, FileStatus? seen) in root.ReadTexts(paths))
            {
                string path = paths[i++];
                if (seen is not { IsDirectory: false } status || !seenFiles.Add(FileIdentity.Key(status))) continue;
                if (text is null)
                {
                    diagnostics.Add(new Diagnostic(path, 0, "cannot be read; entry skipped"));
                    continue;
                }
                if (Parse(text, path, partition, diagnostics, values) is not { } entry) continue;
                if (ToBootEntry(entry, root, name => env[name], diagnostics) is { } bootEntry) found.Add((bootEntry, entry));
            }
        }

        var sorted = found.OrderBy(f => f.Entry, Comparer<BootEntry>.Create(SystemdBootOrder.Compare)).ToList();
        return new BlsScan([.. sorted.Select(f => f.Entry)], [.. sorted.Select(f => f.File)], [.. diagnostics]);
    }

    /// <summary>
    /// Parses the text of one entry file. Returns null (with a diagnostic) when the entry is unusable:
    /// a line too long, neither <c>linux</c> nor <c>efi</c>, or both.
    /// </summary>
    /// <param name="path">The entry file inside the root (for the id and diagnostics).</param>
    /// <param name="partitionRoot">The partition the entry's paths are relative to.</param>
    public static BlsEntry? Parse(string text, string path, string partitionRoot, ICollection<Diagnostic> diagnostics) =>
        Parse(text, path, partitionRoot, diagnostics, new StringPool());

    /// <summary><see cref="Parse(string, string, string, ICollection{Diagnostic})"/> with the field values of earlier entries of the scan.</summary>
    private static BlsEntry? Parse(string text, string path, string partitionRoot, ICollection<Diagnostic> diagnostics, StringPool values)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);

        string fileName = path[(path.LastIndexOf('/') + 1)..];
        (string name, BootCounter? tries) = BootCounter.Split(fileName, ".conf");
        string id = name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
        if (!IsValidEntryName(name))
        {
            diagnostics.Add(new Diagnostic(path, 0, $"invalid loader entry name '{fileName}'; entry skipped"));
            return null;
        }

        var e = new BlsEntryBuilder();
        int lineNo = 0;
        // Lines, keys and values are spans of the text: only the values kept become strings.
        foreach (Range lineRange in text.AsSpan().Split('\n'))
        {
            ReadOnlySpan<char> raw = text.AsSpan(lineRange);
            lineNo++;
            if (raw.Length > LongLineMax)
            {
                diagnostics.Add(new Diagnostic(path, lineNo, "line too long; entry skipped"));
                return null;
            }
            if (!SplitLine(raw, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)) continue;
            if (value.IsEmpty)
            {
                if (key is not ("options" or "devicetree-overlay"))
                    diagnostics.Add(new Diagnostic(path, lineNo, $"field '{Printable(key)}' without value, ignoring line"));
                continue;
            }
            Apply(e, key, value, path, lineNo, diagnostics, values);
        }

        if (e.Linux is not null && e.Efi is not null)
        {
            diagnostics.Add(new Diagnostic(path, e.LoaderLine, "entry has both 'linux' and 'efi'; entry skipped"));
            return null;
        }
        if (e.Linux is null && e.Efi is null)
        {
            diagnostics.Add(new Diagnostic(path, 0, "entry has no 'linux' (or 'efi') line; entry skipped"));
            return null;
        }

        return new BlsEntry
        {
            Id = id,
            Path = path,
            PartitionRoot = BootRoot.Normalize(partitionRoot),
            Title = e.Title,
            Version = e.Version,
            MachineId = e.MachineId,
            SortKey = e.SortKey,
            Linux = e.Linux,
            Efi = e.Efi,
            LoaderLine = e.LoaderLine,
            Initrds = [.. e.Initrds],
            Options = e.Options.Count > 0 ? string.Join(' ', e.Options) : null,
            Devicetree = e.Devicetree,
            DevicetreeOverlays = [.. e.Overlays],
            Architecture = e.Architecture,
            Tries = tries,
        };
    }

    private static void Apply(BlsEntryBuilder e, ReadOnlySpan<char> key, ReadOnlySpan<char> valueSpan, string path, int line, ICollection<Diagnostic> diagnostics, StringPool values)
    {
        switch (key)
        {
            // Values that repeat from entry to entry are made once per scan.
            case "title": e.Title = values.Get(valueSpan); break;
            case "version": e.Version = valueSpan.ToString(); break;
            case "machine-id": e.MachineId = values.Get(valueSpan); break;
            case "sort-key": e.SortKey = values.Get(valueSpan); break;
            case "architecture": e.Architecture = values.Get(valueSpan); break;
            case "options": e.Options.Add(values.Get(valueSpan)); break;
            case "linux":
                if (EntryPath(valueSpan.ToString(), "linux", path, line, diagnostics) is { } linux) { e.Linux = linux; e.LoaderLine = line; }
                break;
            case "efi":
                if (EntryPath(valueSpan.ToString(), "efi", path, line, diagnostics) is { } efi) { e.Efi = efi; e.LoaderLine = line; }
                break;
            case "devicetree":
                if (EntryPath(valueSpan.ToString(), "devicetree", path, line, diagnostics) is { } dt) e.Devicetree = dt;
                break;
            case "initrd":
                // A value naming a variable (RHEL's $tuned_initrd) is checked once it is expanded.
                string value = valueSpan.ToString();
                if (value.Contains('$')) e.Initrds.Add(value);
                else if (EntryPath(value, "initrd", path, line, diagnostics) is { } initrd) e.Initrds.Add(initrd);
                break;
            case "devicetree-overlay":
                foreach (string word in valueSpan.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    if (EntryPath(word, "devicetree-overlay", path, line, diagnostics) is { } overlay) e.Overlays.Add(overlay);
                break;
            default:
                // Unknown keys are normal (Fedora's grub_users, grub_arg, grub_class; RHEL's id): ignored.
                if (!IsPrintableKey(key)) diagnostics.Add(new Diagnostic(path, line, "bad syntax, ignoring line"));
                break;
        }
    }

    /// <summary>
    /// A path as bootspec.c's <c>mangle_path</c> accepts it: made absolute, duplicate slashes dropped; a
    /// trailing slash or a <c>.</c>/<c>..</c> component is reported and the line ignored.
    /// </summary>
    private static string? EntryPath(string value, string key, string path, int line, ICollection<Diagnostic> diagnostics)
    {
        if (value.EndsWith('/'))
        {
            diagnostics.Add(new Diagnostic(path, line, $"path in field '{key}' has a trailing slash, ignoring: {value}"));
            return null;
        }
        if (BootRoot.IsPlain(value)) return value;
        string[] parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".."))
        {
            diagnostics.Add(new Diagnostic(path, line, $"path in field '{key}' is not normalized, ignoring: {value}"));
            return null;
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>The entry's paths inside the root, or null (with a diagnostic) when it cannot boot here.</summary>
    private static BootEntry? ToBootEntry(BlsEntry entry, BootRoot root, Func<string, string?> variables, ICollection<Diagnostic> diagnostics)
    {
        if (entry.Architecture is { } arch && !string.Equals(arch, EfiArchitecture, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(new Diagnostic(entry.Path, 0, $"entry is for architecture '{arch}', this machine is '{EfiArchitecture}'; entry skipped"));
            return null;
        }
        string loader = entry.Linux ?? entry.Efi!;
        string? kernel = ExistingFile(root, entry.PartitionRoot, loader);
        if (kernel is null)
        {
            // systemd-boot hides entries whose kernel is missing; so does rekernel.
            diagnostics.Add(new Diagnostic(entry.Path, entry.LoaderLine, $"{OnPartition(entry.PartitionRoot, loader)} does not exist; entry skipped"));
            return null;
        }
        return new BootEntry
        {
            Id = entry.Id,
            Title = entry.Title ?? entry.Id,
            Version = entry.Version ?? (entry.Linux is not null ? KernelRelease.Of(root, kernel) : null),
            Kernel = kernel,
            Initrds = Initrds(entry, root, variables, diagnostics),
            Cmdline = entry.Options is { } options && options.Contains('$') ? string.Join(' ', BlsVariables.Words(BlsVariables.Substitute(options, variables))) : entry.Options,
            Source = BootEntrySource.Bls,
            SortKey = entry.SortKey,
            MachineId = entry.MachineId,
            TriesLeft = entry.Tries?.Left,
            TriesDone = entry.Tries?.Done,
            Origin = $"{entry.Path}:{entry.LoaderLine}",
        };
    }

    /// <summary>
    /// The entry as GRUB's <c>blscfg</c> adds it: <c>$var</c> in <c>options</c> and <c>initrd</c> replaced by the
    /// values the script's variables hold when <c>blscfg</c> runs (its <c>expand_val</c>), the options then read as
    /// the arguments of a <c>linux</c> line by <paramref name="arguments"/>. Returns <paramref name="entry"/> itself
    /// when nothing changes.
    /// </summary>
    internal static BootEntry Expand(BootEntry entry, BlsEntry file, BootRoot root, Func<string, string?> variables, Func<string, string> arguments, ICollection<Diagnostic> diagnostics)
    {
        string? cmdline = file.Options is { } options ? arguments(BlsVariables.Substitute(options, variables)) : null;
        bool initrdsVary = file.Initrds.Any(i => i.Contains('$'));
        if (cmdline == entry.Cmdline && !initrdsVary) return entry;
        return entry with { Cmdline = cmdline, Initrds = initrdsVary ? Initrds(file, root, variables, diagnostics) : entry.Initrds };
    }

    // GRUB's blscfg expands $tuned_initrd into zero or more further initrds.
    private static ImmutableArray<string> Initrds(BlsEntry entry, BootRoot root, Func<string, string?> variables, ICollection<Diagnostic> diagnostics)
    {
        var initrds = ImmutableArray.CreateBuilder<string>(entry.Initrds.Length);
        foreach (string value in entry.Initrds)
        {
            IEnumerable<string> paths = value.Contains('$')
                ? BlsVariables.Words(BlsVariables.Substitute(value, variables)).Select(w => EntryPath(w, "initrd", entry.Path, 0, diagnostics)).OfType<string>()
                : [value];
            foreach (string path in paths) initrds.Add(ExistingFile(root, entry.PartitionRoot, path) ?? OnPartition(entry.PartitionRoot, path));
        }
        return initrds.ToImmutable();
    }

    /// <summary>
    /// The path inside the root of a file named in an entry: relative to the entry's partition; when /boot is
    /// not a partition of its own, Fedora and RHEL write <c>/boot/vmlinuz-…</c>, which is relative to <c>/</c>.
    /// </summary>
    private static string? ExistingFile(BootRoot root, string partitionRoot, string pathInPartition)
    {
        string onPartition = OnPartition(partitionRoot, pathInPartition);
        if (root.FileExists(onPartition)) return onPartition;
        string onRoot = BootRoot.Normalize(pathInPartition);
        return onRoot != onPartition && root.FileExists(onRoot) ? onRoot : null;
    }

    /// <summary>An entry path inside the root: entry paths are absolute on their own partition.</summary>
    private static string OnPartition(string partitionRoot, string pathInPartition) =>
        // Both already normalized (as EntryPath leaves nearly every path): one string, not a trimmed copy and a join.
        BootRoot.IsPlain(pathInPartition) && BootRoot.IsPlain(partitionRoot)
            ? partitionRoot == "/" ? pathInPartition : string.Concat(partitionRoot, pathInPartition)
            : BootRoot.Join(partitionRoot, pathInPartition.TrimStart('/'));

    /// <summary>
    /// Key and value of a line as systemd-boot's <c>line_get_key_value</c> splits it; null for blank lines and
    /// comments. A value in double quotes loses them.
    /// </summary>
    private static bool SplitLine(ReadOnlySpan<char> raw, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        ReadOnlySpan<char> line = raw.Trim(" \t\r");
        key = value = default;
        if (line.IsEmpty || line[0] == '#') return false;
        int sep = line.IndexOfAny(' ', '\t');
        if (sep < 0)
        {
            key = line;
            return true;
        }
        key = line[..sep];
        value = line[sep..].TrimStart(" \t");
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
        return true;
    }

    /// <summary>systemd-boot's rule for files in loader/entries: <c>*.conf</c>, not hidden, not <c>auto-*</c>.</summary>
    private static bool IsEntryFileName(string name) =>
        name.Length > 0 && name[0] != '.'
        && name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("auto-", StringComparison.OrdinalIgnoreCase);

    /// <summary>systemd's <c>efi_loader_entry_name_valid</c>: letters, digits and <c>+-_.</c>, at most 255.</summary>
    private static bool IsValidEntryName(string name) =>
        name.Length is > 0 and <= 255 && !name.AsSpan().ContainsAnyExcept(EntryNameChars);

    private static readonly System.Buffers.SearchValues<char> EntryNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-_.");

    private static bool IsPrintableKey(ReadOnlySpan<char> key)
    {
        foreach (char c in key)
        {
            if (c <= ' ' || c == '\x7f') return false;
        }
        return true;
    }

    private static string Printable(ReadOnlySpan<char> key) => IsPrintableKey(key) && key.Length <= 64 ? key.ToString() : "?";

    /// <summary>The name systemd-boot compares the <c>architecture</c> key with (EFI_MACHINE_TYPE_NAME).</summary>
    public static string EfiArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.X86 => "ia32",
        Architecture.Arm64 => "aa64",
        Architecture.Arm => "arm",
        Architecture.RiscV64 => "riscv64",
        Architecture.LoongArch64 => "loongarch64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };
}
