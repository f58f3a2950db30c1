namespace Rekernel.Discovery.Bls;

/// <summary>
/// systemd-boot's default entry (<c>config_select_default_entry</c> in src/boot/boot.c): the one-shot EFI
/// variable, then the default EFI variable, then loader.conf's <c>default</c>, then the first entry. Each source
/// is a glob over the entries' loader ids (<see cref="SystemdBootOrder.LoaderId"/>), case-insensitive, first
/// match in menu order wins; <c>@saved</c> stands for <c>LoaderEntryLastBooted</c>.
/// </summary>
public static class SystemdBootDefault
{
    /// <summary>The default among <paramref name="sorted"/> using loader.conf and the EFI variables inside the root.</summary>
    public static BootEntry? Select(IReadOnlyList<BootEntry> sorted, BootRoot root, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Select(sorted, LoaderConfig.Load(root, diagnostics), LoaderEfiVariables.Load(root));
    }

    /// <summary>The default among <paramref name="sorted"/> (menu order), or null when there are no entries.</summary>
    public static BootEntry? Select(IReadOnlyList<BootEntry> sorted, LoaderConfig config, LoaderEfiVariables variables)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(variables);
        if (sorted.Count == 0) return null;

        bool savedByVariable = IsSaved(variables.EntryDefault);
        bool savedByConfig = IsSaved(config.Default);
        string? saved = savedByVariable || savedByConfig ? variables.EntryLastBooted : null;

        return Find(sorted, variables.EntryOneShot)
            ?? Find(sorted, savedByVariable ? saved : variables.EntryDefault)
            ?? FromConfig(sorted, config, saved, savedByConfig, savedByVariable)
            ?? sorted[0];
    }

    private static BootEntry? FromConfig(IReadOnlyList<BootEntry> sorted, LoaderConfig config, string? saved, bool savedByConfig, bool savedByVariable)
    {
        if (!savedByConfig) return Find(sorted, config.Default);
        // @saved in both places was already tried through the variable.
        return savedByVariable ? null : Find(sorted, saved);
    }

    private static BootEntry? Find(IReadOnlyList<BootEntry> sorted, string? pattern)
    {
        if (pattern is null) return null;
        foreach (BootEntry entry in sorted)
        {
            if (LoaderGlob.IsMatch(pattern, SystemdBootOrder.LoaderId(entry))) return entry;
        }
        return null;
    }

    private static bool IsSaved(string? pattern) => string.Equals(pattern, "@saved", StringComparison.OrdinalIgnoreCase);
}
