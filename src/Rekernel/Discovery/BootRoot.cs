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

    // While a scan runs (WithPathCache): plain path inside the root -> its canonical form (null when missing) and
    // the status of its last component, when the resolution saw one.
    private Dictionary<string, (string? Canonical, FileStatus? Last)>? _paths;

    /// <summary>
    /// Runs <paramref name="scan"/> remembering how every path it resolves resolved, so that a thousand entries in
    /// a few directories cost one <c>lstat</c> per new component, and a kernel that the menu, the existence checks
    /// and the inventory each look up is looked at once. Only for reading configuration: a file or directory
    /// replaced by a link during the scan is not noticed.
    /// </summary>
    public T WithPathCache<T>(Func<T> scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (_paths is not null) return scan();
        _paths = new(StringComparer.Ordinal);
        try { return scan(); }
        finally { _paths = null; }
    }

    /// <summary>The canonical absolute path inside the root (symbolic links and <c>..</c> resolved), or null when missing.</summary>
    public string? ResolveInRoot(string pathInRoot) => ResolveInRoot(pathInRoot, out _);

    // The canonical path and, when the resolution saw it, the status of its last component (which is no link).
    private string? ResolveInRoot(string pathInRoot, out FileStatus? last)
    {
        last = null;
        // No file name holds a NUL (and .NET refuses such paths with an exception).
        if (pathInRoot.Contains('\0')) return null;
        return _paths is { } cache && TryCached(cache, pathInRoot, out string? canonical, out last) ? canonical : Walk(pathInRoot, out last);
    }

    // A path without . or .. components, through the cache: each component resolved once, from its parent.
    private bool TryCached(Dictionary<string, (string?, FileStatus?)> cache, string pathInRoot, out string? canonical, out FileStatus? last)
    {
        canonical = null;
        last = null;
        if (HasDotComponent(pathInRoot)) return false;
        string plain = IsPlain(pathInRoot) ? pathInRoot : Normalize(pathInRoot);
        canonical = plain == "/" ? "/" : Canonical(cache, plain, out last);
        return true;
    }

    // The canonical form of a plain path other than "/", and the status of its last component.
    private string? Canonical(Dictionary<string, (string? Canonical, FileStatus? Last)> cache, string plain, out FileStatus? last)
    {
        if (cache.TryGetValue(plain, out var known))
        {
            last = known.Last;
            return known.Canonical;
        }
        last = null;
        int slash = plain.LastIndexOf('/');
        string? parent = slash == 0 ? "/" : Canonical(cache, plain[..slash], out _);
        string? canonical = null;
        if (parent is not null)
        {
            string child = parent == "/" ? plain[slash..] : string.Concat(parent, plain.AsSpan(slash));
            // One statx without following a link: missing, a link (resolved the long way), or canonical as it is.
            if (FileSyscalls.Stat(_hostPrefix + child, out _) is { } status)
            {
                last = status;
                canonical = status.IsSymbolicLink ? Walk(child, out last) : child;
            }
        }
        cache[plain] = (canonical, last);
        return canonical;
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

    /// <summary>
    /// <see cref="Resolve(string)"/>, with the status of what the path names (links followed): the resolution's own
    /// statx of the last component, so no second one is made.
    /// </summary>
    public string? Resolve(string pathInRoot, out FileStatus? status)
    {
        status = null;
        if (ResolveInRoot(pathInRoot, out FileStatus? last) is not { } p) return null;
        string host = ToHost(p);
        status = last ?? FileSyscalls.Stat(host, out _, followLinks: true);
        return host;
    }

    /// <summary>Whether the path names something other than a directory (as <see cref="File.Exists"/>), after links.</summary>
    public bool FileExists(string pathInRoot) => StatusOf(pathInRoot) is { IsDirectory: false };

    // What the path names, links followed: the resolution's statx of the last component, and only without one a
    // statx of the host path (so an existence check builds no host path string).
    private FileStatus? StatusOf(string pathInRoot) =>
        ResolveInRoot(pathInRoot, out FileStatus? last) is { } p ? last ?? FileSyscalls.Stat(ToHost(p), out _, followLinks: true) : null;

    public bool DirectoryExists(string pathInRoot) => StatusOf(pathInRoot) is { IsDirectory: true };

    /// <summary>Whether the path names anything (as <see cref="Path.Exists"/>), after links.</summary>
    public bool Exists(string pathInRoot) => StatusOf(pathInRoot) is not null;

    /// <summary>
    /// The text of a file inside the root, or null when it does not exist, cannot be read, is not a regular file
    /// (a FIFO or device must not hang or feed discovery) or is larger than <see cref="MaxReadBytes"/>.
    /// </summary>
    public string? ReadText(string pathInRoot) => ReadBytes(pathInRoot) is { } bytes ? Decode(bytes) : null;

    /// <summary>
    /// UTF-8 text, decoded as <see cref="StreamReader"/> would (a byte-order mark is honoured and dropped; bad
    /// bytes become U+FFFD), without a stream and a reader for the common file that starts with no mark.
    /// </summary>
    internal static string Decode(byte[] bytes) => bytes is [0xEF or 0xFE or 0xFF or 0x00, ..]
        ? new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8).ReadToEnd()
        : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The bytes of a file inside the root, or null in the cases <see cref="ReadText"/> lists.</summary>
    public byte[]? ReadBytes(string pathInRoot) =>
        Resolve(pathInRoot) is { } p && FileSyscalls.Stat(p, out _) is { IsRegularFile: true } ? ReadResolved(p) : null;

    /// <summary>
    /// <see cref="ReadText"/> of a host path <see cref="Resolve"/> returned and the caller has just seen to be a
    /// regular file: a thousand boot entries are resolved and checked once each, not again to be read.
    /// </summary>
    internal static string? ReadResolvedText(string hostPath) => ReadResolved(hostPath) is { } bytes ? Decode(bytes) : null;

    private static byte[]? ReadResolved(string hostPath)
    {
        try
        {
            using SafeFileHandle? handle = FileSyscalls.OpenStatedRegular(hostPath, out long size);
            return handle is null ? null : BoundedRead.All(handle, MaxReadBytes, size);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Names (not paths) of the entries of a directory inside the root matching a glob, sorted ordinally.</summary>
    public IReadOnlyList<string> ListFiles(string dirInRoot, string pattern = "*")
    {
        if (Resolve(dirInRoot) is not { } p || !Directory.Exists(p)) return [];
        try
        {
            var names = Directory.EnumerateFileSystemEntries(p, pattern)
                .Select(System.IO.Path.GetFileName)
                .OfType<string>()
                .ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

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
        foreach (Range part in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(part) is "." or "..") return true;
        }
        return false;
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");
}
