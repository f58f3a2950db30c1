using System.Collections.Immutable;
using System.Text;
using Rekernel.Images;

namespace Rekernel.Discovery.Uki;

/// <summary>
/// Boot Loader Specification type #2 entries: Unified Kernel Images in <c>EFI/Linux/*.efi</c> on the ESP or
/// XBOOTLDR partition. Only the PE headers and the small metadata sections are read; the kernel and initrd
/// stay on disk and are later loaded from their <see cref="UkiLayout"/> spans.
/// </summary>
public static class UkiReader
{
    /// <summary>Where the ESP or XBOOTLDR partition is mounted, in the order systemd looks.</summary>
    public static readonly ImmutableArray<string> EspCandidates = ["/efi", "/boot", "/boot/efi"];

    // Metadata sections are a few hundred bytes; anything far larger is not what a UKI tool writes.
    private const int MaxMetadataSection = 64 * 1024;

    public static UkiScan Read(BootRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var entries = ImmutableArray.CreateBuilder<BootEntry>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var seenDirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (string esp in EspCandidates)
        {
            if (root.ResolveInRoot(esp + "/EFI/Linux") is not { } dir || !seenDirs.Add(dir)) continue;
            if (!root.DirectoryExists(dir)) continue;
            foreach (string name in root.ListFiles(dir).Where(IsUkiName))
            {
                string path = BootRoot.Join(dir, name);
                if (ReadEntry(root, path, name, out Diagnostic? problem) is { } entry) entries.Add(entry);
                else if (problem is { } d) diagnostics.Add(d);
            }
        }
        return new UkiScan(entries.ToImmutable(), diagnostics.ToImmutable());
    }

    /// <summary>Reads one UKI; null (with a diagnostic) when the file is not one.</summary>
    public static BootEntry? ReadEntry(BootRoot root, string path, string id, out Diagnostic? problem)
    {
        ArgumentNullException.ThrowIfNull(root);
        problem = null;
        if (root.Resolve(path) is not { } host || !File.Exists(host)) return null;
        try
        {
            using FileStream? stream = Native.FileSyscalls.OpenRegularStream(host);
            if (stream is null)
            {
                problem = new Diagnostic(path, 0, "skipped: not a regular file");
                return null;
            }
            return EntryFrom(stream, path, id, out problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = new Diagnostic(path, 0, $"cannot read: {e.Message}");
            return null;
        }
    }

    private static BootEntry? EntryFrom(Stream stream, string path, string id, out Diagnostic? problem)
    {
        problem = null;
        PeParseResult pe = PeFile.Read(stream);
        if (pe.Sections is not { } sections)
        {
            problem = new Diagnostic(path, 0, $"skipped, not a Unified Kernel Image: {pe.Problem}");
            return null;
        }
        if (sections.SpanOf(".linux") is not { Length: > 0 } linux)
        {
            problem = new Diagnostic(path, 0, "skipped, not a Unified Kernel Image: it has no .linux section");
            return null;
        }
        BzImageParseResult kernel = BzImageHeader.Read(stream, linux.Offset, linux.Length);
        if (kernel.Header is null)
        {
            problem = new Diagnostic(path, 0, $"skipped: its .linux section is {kernel.Problem}");
            return null;
        }

        OsRelease osrel = OsRelease.Parse(SectionText(stream, sections, ".osrel") ?? "");
        string? uname = SectionText(stream, sections, ".uname")?.Trim('\0', '\n', '\r', ' ', '\t');
        string? cmdline = SectionText(stream, sections, ".cmdline")?.TrimEnd('\0', '\n', '\r');
        FileSpan? initrd = sections.SpanOf(".initrd") is { Length: > 0 } i ? i : null;

        return new BootEntry
        {
            Id = id,
            Title = osrel.DisplayName ?? id,
            Version = NonEmpty(uname) ?? kernel.Header.Release ?? osrel.DisplayVersion,
            Kernel = path,
            Cmdline = cmdline,
            Source = BootEntrySource.Uki,
            Uki = new UkiLayout(linux, initrd),
            SortKey = osrel.SortKey,
            Origin = path,
        };
    }

    private static string? SectionText(Stream stream, PeSections sections, string name)
    {
        if (sections.SpanOf(name) is not { } span) return null;
        if (span.Length > MaxMetadataSection) return null;
        return PeFile.ReadAt(stream, span.Offset, (int)span.Length) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // systemd-boot takes *.efi (any case) and skips hidden files and its own auto-* entries.
    private static bool IsUkiName(string name) =>
        name.EndsWith(".efi", StringComparison.OrdinalIgnoreCase) && !name.StartsWith('.') && !name.StartsWith("auto-", StringComparison.Ordinal);
}
