using System.IO.Enumeration;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Rekernel.IO;
using Rekernel.Native;

namespace Rekernel.Discovery;

/// <summary>
/// The file system a machine boots from, seen from a root directory (<c>/</c> on the live machine, a fixture
/// tree in tests). Every read goes through here so that nothing outside the root is ever touched: symbolic
/// links are resolved as if the root were <c>/</c> (like a chroot), and <c>..</c> never climbs above it.
/// </summary>
public sealed class BootRoot
{
    private const int MaxSymlinkHops = 40;

    /// <summary>
    /// The largest file <see cref="ReadText"/> and <see cref="ReadBytes"/> return: boot configuration is kilobytes,
    /// and a huge file where one is expected must not exhaust memory.
    /// </summary>
    public const int MaxReadBytes = 16 << 20;

    public BootRoot(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        HostPath = System.IO.Path.GetFullPath(path);
        _hostPrefix = HostPath.TrimEnd('/');
    }

    // The root with no trailing slash ("" for /): a plain path inside the root appended to it is its host path.
    private readonly string _hostPrefix;

    /// <summary>The root directory on the host.</summary>
    public string HostPath { get; }

    /// <summary>
    /// The host path for <paramref name="pathInRoot"/> with every symbolic link resolved inside the root;
    /// null when a component is missing or the link chain is too long.
    /// </summary>
    public string? Resolve(string pathInRoot) => ResolveInRoot(pathInRoot) is { } p ? ToHost(p) : null;

    // While a scan runs (WithPathCache): plain path inside the root -> what is known of it.
    private Dictionary<string, Known>? _paths;

    // What a scan knows of a plain path: its canonical form (null when missing) and, of its last component (no link
    // once resolved), the status when a statx saw it, or only its type (S_IFMT bits) when a directory listing did.
    private readonly record struct Known(string? Canonical, FileStatus? Status, int Type)
    {
        public static Known Of(string? canonical, FileStatus? status) => new(canonical, status, status?.Type ?? 0);
    }

    /// <summary>
    /// Runs <paramref name="scan"/> remembering how every path it resolves resolved, so that a thousand entries in
    /// a few directories cost one <c>lstat</c> per new component, and a kernel that the menu, the existence checks
    /// and the inventory each look up is looked at once; a directory listed (<see cref="ListFiles"/>) tells the type
    /// of each of its files and directories, which are then not stat'ed at all. Only for reading configuration: a
    /// file or directory replaced by a link during the scan is not noticed.
    /// </summary>
    public T WithPathCache<T>(Func<T> scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (_paths is not null) return scan();
        _paths = new(StringComparer.Ordinal);
        _rootDirectory = FileSyscalls.Open(HostPath, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, out _);
        try { return scan(); }
        finally
        {
            if (_directories is { } open) foreach (SafeFileHandle directory in open.Values) directory.Dispose();
            _rootDirectory?.Dispose();
            (_paths, _misses, _listings, _directories, _rootDirectory) = (null, null, null, null, null);
        }
    }

    /// <summary>The canonical absolute path inside the root (symbolic links and <c>..</c> resolved), or null when missing.</summary>
    public string? ResolveInRoot(string pathInRoot) => ResolveInRoot(pathInRoot, out _);

    // The canonical path and what is known of its last component.
    private string? ResolveInRoot(string pathInRoot, out Known known)
    {
        known = default;
        // No file name holds a NUL (and .NET refuses such paths with an exception).
        if (pathInRoot.Contains('\0')) return null;
        if (_paths is { } cache && TryCached(cache, pathInRoot, out known)) return known.Canonical;
        known = Known.Of(Walk(pathInRoot, out FileStatus? last), last);
        return known.Canonical;
    }

    // A path without . or .. components, through the cache: each component resolved once, from its parent.
    private bool TryCached(Dictionary<string, Known> cache, string pathInRoot, out Known known)
    {
        known = default;
        if (HasDotComponent(pathInRoot)) return false;
        string plain = IsPlain(pathInRoot) ? pathInRoot : Normalize(pathInRoot);
        known = plain == "/" ? new Known("/", null, 0) : Canonical(cache, plain);
        return true;
    }

    // What is known of a plain path other than "/", looked up once.
    private Known Canonical(Dictionary<string, Known> cache, string plain)
    {
        if (cache.TryGetValue(plain, out Known known)) return known;
        int slash = plain.LastIndexOf('/');
        // The parent is looked up by its span, so a known parent costs no substring.
        string? parent = slash == 0 ? "/"
            : cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(plain.AsSpan(0, slash), out Known up) ? up.Canonical
            : Canonical(cache, plain[..slash]).Canonical;
        if (parent is not null)
        {
            // Below a parent that is canonical as written (no link on the way), the path is its own canonical form.
            string child = slash == 0 || plain.AsSpan(0, slash).SequenceEqual(parent) ? plain
                : parent == "/" ? plain[slash..] : string.Concat(parent, plain.AsSpan(slash));
            // Reached through a link, the child may be known by its canonical path already (a listing of its directory).
            if ((ReferenceEquals(child, plain) || !cache.TryGetValue(child, out known)) && !(ListedNow(cache, parent) && cache.TryGetValue(child, out known)))
                known = Lookup(child);
        }
        cache[plain] = known;
        return known;
    }

    // Lookups in one directory that missed the cache, per directory: after this many the directory is listed once,
    // so that a thousand version directories or kernels cost one readdir instead of a statx each.
    private Dictionary<string, int>? _misses;
    private const int ListAfterMisses = 16;

    // Counts a miss in a directory; true when this one had it listed (its entries are in the cache now).
    private bool ListedNow(Dictionary<string, Known> cache, string dir)
    {
        _misses ??= new(StringComparer.Ordinal);
        ref int misses = ref CollectionsMarshal.GetValueRefOrAddDefault(_misses, dir, out _);
        if (++misses != ListAfterMisses || Listing(dir) is not { } entries) return false;
        cache.EnsureCapacity(cache.Count + entries.Count);
        foreach ((string name, int type) in entries) Remember(cache, dir, name, type);
        return true;
    }

    // The directories this scan listed, by canonical path: a grub.cfg's thousand kernels had /boot listed for their
    // look-ups, and the /boot reader then listed it again (a readdir of 2,000 names was 3 % of that command).
    private Dictionary<string, List<(string Name, int Type)>>? _listings;

    // A directory's entries (DirectorySyscalls.List), once per scan; null when it cannot be read.
    private List<(string Name, int Type)>? Listing(string canonicalDir)
    {
        if (_paths is null) return DirectorySyscalls.List(ToHost(canonicalDir));
        _listings ??= new(StringComparer.Ordinal);
        if (_listings.TryGetValue(canonicalDir, out var known)) return known;
        var entries = DirectorySyscalls.List(ToHost(canonicalDir));
        if (entries is null) return null;
        _listings[canonicalDir] = entries;
        if (canonicalDir != "/" && _rootDirectory is { } root && FileSyscalls.OpenDirectory(root, canonicalDir.AsSpan(1)) is { } opened)
            (_directories ??= new(StringComparer.Ordinal))[canonicalDir] = opened;
        return entries;
    }

    // The directories this scan listed, kept open: a file below one is looked up or opened relative to it, so the
    // kernel walks only the rest of the path ("V/linux" from /boot/MACHINE-ID, an entry's name from loader/entries).
    private Dictionary<string, SafeFileHandle>? _directories;

    // The nearest open directory above a canonical path and where the rest of the path starts; the root's otherwise.
    private (SafeFileHandle Directory, int RestAt) Nearest(SafeFileHandle root, string canonical)
    {
        if (_directories is { } open)
        {
            var byPrefix = open.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int slash = canonical.LastIndexOf('/'); slash > 0; slash = canonical.LastIndexOf('/', slash - 1))
            {
                if (byPrefix.TryGetValue(canonical.AsSpan(0, slash), out SafeFileHandle? directory)) return (directory, slash + 1);
            }
        }
        return (root, 1);
    }

    // A directory listing's entry: a file or directory is canonical as it stands; a link still needs resolving.
    private static void Remember(Dictionary<string, Known> cache, string dir, string name, int type)
    {
        if (type is 0 or LinkType) return;
        string path = dir == "/" ? "/" + name : string.Concat(dir, "/", name);
        cache.TryAdd(path, new Known(path, null, type));
    }

    // During a scan, the root directory opened: a path inside the root is looked up and opened relative to it, so the
    // kernel does not walk the root's own path again for each file, and no host path string is made for it.
    private SafeFileHandle? _rootDirectory;

    // One statx without following a link: missing, a link (resolved the long way), or canonical as it is.
    private Known Lookup(string child)
    {
        FileStatus? found = _rootDirectory is { } root && Nearest(root, child) is var (directory, rest)
            ? FileSyscalls.Stat(directory, child.AsSpan(rest), out _)
            : FileSyscalls.Stat(_hostPrefix + child, out _);
        if (found is not { } status) return default;
        return status.IsSymbolicLink ? Known.Of(Walk(child, out FileStatus? last), last) : Known.Of(child, status);
    }

    private string? Walk(string pathInRoot, out FileStatus? last)
    {
        last = null;
        var pending = new Stack<string>(Components(pathInRoot).Reverse());
        var resolved = new List<string>();
        int hops = 0;
        while (pending.Count > 0)
        {
            string part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                last = null;
                continue;
            }
            string candidate = ToHost("/" + string.Join('/', resolved.Append(part)));
            // One statx without following links answers both questions; readlink only for a link. Asking Exists,
            // Directory.Exists and LinkTarget of every component cost four system calls each.
            if (FileSyscalls.Stat(candidate, out _) is not { } status) return null;
            if (status.IsSymbolicLink && new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++hops > MaxSymlinkHops) return null;
                if (target.StartsWith('/')) resolved.Clear();
                foreach (string c in Components(target).Reverse()) pending.Push(c);
                last = null;
                continue;
            }
            resolved.Add(part);
            last = status;
        }
        return "/" + string.Join('/', resolved);
    }

    /// <summary>The host path of a path inside the root, lexically (no link resolution).</summary>
    public string ToHost(string pathInRoot)
    {
        if (IsPlain(pathInRoot)) return pathInRoot == "/" ? HostPath : _hostPrefix + pathInRoot;
        string rel = string.Join('/', Components(pathInRoot));
        return rel.Length == 0 ? HostPath : System.IO.Path.Join(HostPath, rel);
    }

    /// <summary>Whether the path names something other than a directory (as <see cref="File.Exists"/>), after links.</summary>
    public bool FileExists(string pathInRoot) => TypeOf(pathInRoot) is { } type && type != DirectoryType;

    // The S_IFMT bits of what the path names, links followed; null when it names nothing. The resolution's statx or
    // listing answers; only without either a statx of the host path (so an existence check builds no host path string).
    private int? TypeOf(string pathInRoot) =>
        ResolveInRoot(pathInRoot, out Known known) is not { } p ? null
        : known.Type != 0 ? known.Type
        : FileSyscalls.Stat(ToHost(p), out _, followLinks: true)?.Type;

    private const int DirectoryType = 0x4000;
    private const int RegularType = 0x8000;

    public bool DirectoryExists(string pathInRoot) => TypeOf(pathInRoot) == DirectoryType;

    /// <summary>Whether the path names anything (as <see cref="Path.Exists"/>), after links.</summary>
    public bool Exists(string pathInRoot) => TypeOf(pathInRoot) is not null;

    /// <summary>
    /// A regular file inside the root opened for reading, with its size; null when the path names anything else or
    /// cannot be opened. A file that this scan's listing or resolution saw to be regular is opened without a further
    /// statx (never following a link, never blocking, and checked again on the descriptor).
    /// </summary>
    public SafeFileHandle? OpenRegular(string pathInRoot, out long size)
    {
        size = 0;
        if (ResolveInRoot(pathInRoot, out Known known) is not { } p) return null;
        if (known.Type == RegularType && _rootDirectory is { } root && Nearest(root, p) is var (directory, rest))
            return FileSyscalls.OpenStatedRegular(directory, p.AsSpan(rest), out size);
        string host = ToHost(p);
        int type = known.Type != 0 ? known.Type : FileSyscalls.Stat(host, out _)?.Type ?? 0;
        return type == RegularType ? FileSyscalls.OpenStatedRegular(host, out size) : null;
    }

    /// <summary>
    /// The text of many files inside the root, in order, each with the status of what its path names (links
    /// followed), for a reader that needs the files' identities too (BLS entries: bootspec's inode set); null status
    /// when a path names nothing, null text when it names no readable regular file. A file this scan's listing saw
    /// to be regular is opened at once and its status taken from the descriptor: one open, one fstat and a read,
    /// where a statx first cost a thousand entries a thousand more system calls. The paths are resolved here, before
    /// anything is read; with many files a second thread then reads ahead of the caller (<see cref="ReadAhead"/>),
    /// touching no cache, so the caller's work on each file overlaps with reading the next.
    /// </summary>
    public IEnumerable<(string? Text, FileStatus? Status)> ReadTexts(IReadOnlyList<string> pathsInRoot)
    {
        ArgumentNullException.ThrowIfNull(pathsInRoot);
        var files = new ResolvedFile[pathsInRoot.Count];
        for (int i = 0; i < files.Length; i++) files[i] = Resolved(pathsInRoot[i]);
        (string?, FileStatus?) Read(int i) => (ReadText(files[i], out FileStatus? status), status);
        return files.Length < ReadAheadFrom || Environment.ProcessorCount < 2
            ? Enumerable.Range(0, files.Length).Select(Read)
            : ReadAhead.InOrder(files.Length, Read);
    }

    // A machine has a handful of entries: those are read on the caller's thread, without starting another.
    private const int ReadAheadFrom = 64;

    // A file resolved on the scan's thread, with the directory to open it from: reading it touches no cache, so
    // another thread may read it while this one resolves (and lists, and opens) further paths.
    private readonly record struct ResolvedFile(string? Canonical, Known Known, SafeFileHandle? Directory, int RestAt);

    private ResolvedFile Resolved(string pathInRoot)
    {
        if (ResolveInRoot(pathInRoot, out Known known) is not { } canonical) return default;
        return _rootDirectory is { } root && Nearest(root, canonical) is var (directory, rest)
            ? new ResolvedFile(canonical, known, directory, rest)
            : new ResolvedFile(canonical, known, null, 0);
    }

    private string? ReadText(ResolvedFile file, out FileStatus? status)
    {
        status = null;
        if (file.Canonical is not { } canonical) return null;
        try
        {
            if (file.Known.Status is null && file.Known.Type == RegularType)
            {
                using SafeFileHandle? handle = file.Directory is { } directory
                    ? FileSyscalls.OpenNoFollow(directory, canonical.AsSpan(file.RestAt), out _)
                    : FileSyscalls.OpenNoFollow(ToHost(canonical), out _);
                if (handle is not null && FileSyscalls.Stat(handle, out _) is { } opened)
                {
                    status = opened;
                    return opened.IsRegularFile ? BoundedRead.All(handle, MaxReadBytes, opened.Size, Decode) : null;
                }
                // Replaced or unreadable since the listing: ask again below.
            }
            string host = ToHost(canonical);
            status = file.Known.Status ?? FileSyscalls.Stat(host, out _, followLinks: true);
            return status is { IsRegularFile: true } ? ReadResolved(host, Decode) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The text of a file inside the root, or null when it does not exist, cannot be read, is not a regular file
    /// (a FIFO or device must not hang or feed discovery) or is larger than <see cref="MaxReadBytes"/>.
    /// </summary>
    public string? ReadText(string pathInRoot) => Read(pathInRoot, Decode);

    /// <summary>
    /// UTF-8 text, decoded as <see cref="StreamReader"/> would (a byte-order mark is honoured and dropped; bad
    /// bytes become U+FFFD), without a stream and a reader for the common file that starts with no mark.
    /// </summary>
    private static string Decode(ReadOnlySpan<byte> bytes) => bytes is [0xEF or 0xFE or 0xFF or 0x00, ..]
        ? new StreamReader(new MemoryStream(bytes.ToArray()), System.Text.Encoding.UTF8).ReadToEnd()
        : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The bytes of a file inside the root, or null in the cases <see cref="ReadText"/> lists.</summary>
    public byte[]? ReadBytes(string pathInRoot) => Read(pathInRoot, static bytes => bytes.ToArray());

    // A regular file's contents, converted from the read buffer; the resolution's type saves a statx when it has one.
    private T? Read<T>(string pathInRoot, Func<ReadOnlySpan<byte>, T> convert) where T : class
    {
        if (ResolveInRoot(pathInRoot, out Known known) is not { } p) return null;
        string host = ToHost(p);
        int? type = known.Type != 0 ? known.Type : FileSyscalls.Stat(host, out _)?.Type;
        return type == RegularType ? ReadResolved(host, convert) : null;
    }

    private static T? ReadResolved<T>(string hostPath, Func<ReadOnlySpan<byte>, T> convert) where T : class
    {
        try
        {
            using SafeFileHandle? handle = FileSyscalls.OpenStatedRegular(hostPath, out long size);
            return handle is null ? null : BoundedRead.All(handle, MaxReadBytes, size, convert);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// Names (not paths) of the entries of a directory inside the root matching a glob (<c>*</c> and <c>?</c>),
    /// sorted ordinally. During a scan the listing's types (d_type) are remembered: a file or directory found here
    /// (not a link, which still needs resolving) is not stat'ed again when it is looked up or opened.
    /// </summary>
    public IReadOnlyList<string> ListFiles(string dirInRoot, string pattern = "*")
    {
        if (ResolveInRoot(dirInRoot) is not { } dir || Listing(dir) is not { } entries) return [];
        var names = new List<string>(entries.Count);
        _paths?.EnsureCapacity(_paths.Count + entries.Count);
        foreach ((string name, int type) in entries)
        {
            if (pattern != "*" && !FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false)) continue;
            names.Add(name);
            if (_paths is { } cache) Remember(cache, dir, name, type);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private const int LinkType = 0xA000;

    /// <summary>Joins path components inside the root into a normalised absolute path (lexically).</summary>
    public static string Join(string dirInRoot, string relative) =>
        relative.StartsWith('/') ? Normalize(relative) : Normalize(dirInRoot.TrimEnd('/') + "/" + relative);

    /// <summary>Collapses <c>.</c>, <c>..</c> and repeated slashes; never climbs above <c>/</c>.</summary>
    public static string Normalize(string pathInRoot)
    {
        if (IsPlain(pathInRoot)) return pathInRoot;
        var stack = new List<string>();
        foreach (string c in Components(pathInRoot))
        {
            if (c == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); }
            else stack.Add(c);
        }
        return "/" + string.Join('/', stack);
    }

    // Already normalized: absolute, no empty, "." or ".." component, no trailing slash (most paths discovery meets).
    internal static bool IsPlain(string path) =>
        path.StartsWith('/') && (path.Length == 1 || (!path.EndsWith('/') && !path.Contains("//", StringComparison.Ordinal) && !HasDotComponent(path)));

    private static bool HasDotComponent(string path)
    {
        // In an absolute path every component follows a slash: without "/." there is no "." or ".." component.
        if (path.StartsWith('/') && !path.Contains("/.", StringComparison.Ordinal)) return false;
        foreach (Range part in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(part) is "." or "..") return true;
        }
        return false;
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");
}
