namespace Rekernel.Discovery.Grub;

/// <summary>File system UUIDs or labels the tree knows; <see cref="Complete"/> when they are every file system's (a live /dev/disk view).</summary>
internal readonly record struct KnownNames(HashSet<string> Known, bool Complete)
{
    public SearchResult Find(string name) => Known.Contains(name) ? SearchResult.Found : Complete ? SearchResult.NotFound : SearchResult.Unknown;
}
