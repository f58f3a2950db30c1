using System.Globalization;
using System.Text;

namespace Rekernel.Discovery.Grub;

/// <summary>
/// GRUB's <c>search --fs-uuid / --label / --file</c> answered from the tree: file system UUIDs and labels named in
/// <c>/etc/fstab</c>, and the <c>/dev/disk/by-uuid</c> and <c>/dev/disk/by-label</c> links a live system has (which
/// list every file system, so a name missing there is missing on the machine). Files are looked up in the tree.
/// </summary>
internal sealed class GrubSearch
{
    public const string UuidLinks = "/dev/disk/by-uuid";
    public const string LabelLinks = "/dev/disk/by-label";

    private readonly BootRoot _root;
    private readonly Lazy<KnownNames> _uuids;
    private readonly Lazy<KnownNames> _labels;

    public GrubSearch(BootRoot root)
    {
        _root = root;
        var fstab = new Lazy<(HashSet<string> Uuids, HashSet<string> Labels)>(() => ReadFstab(root));
        _uuids = new Lazy<KnownNames>(() => Known(fstab.Value.Uuids, UuidLinks));
        _labels = new Lazy<KnownNames>(() => Known(fstab.Value.Labels, LabelLinks));
    }

    public SearchResult FsUuid(string uuid) => _uuids.Value.Find(uuid);

    public SearchResult Label(string label) => _labels.Value.Find(label);

    public SearchResult File(string grubPath) => GrubPaths.Existing(_root, grubPath) is not null ? SearchResult.Found : SearchResult.NotFound;

    // udev names the links with blkid's safe encoding: a space or another unsafe byte becomes \xHH.
    private KnownNames Known(HashSet<string> fromFstab, string links)
    {
        bool complete = _root.DirectoryExists(links);
        if (complete) fromFstab.UnionWith(_root.ListFiles(links).Select(UdevDecode));
        return new KnownNames(fromFstab, complete);
    }

    private static string UdevDecode(string name)
    {
        if (!name.Contains("\\x", StringComparison.Ordinal)) return name;
        var bytes = new List<byte>(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 3 < name.Length && name[i + 1] == 'x'
                && byte.TryParse(name.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(name[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    // fstab(5): the first field names the file system, UUID=... or LABEL=... among others; octal \040 escapes a space.
    private static (HashSet<string>, HashSet<string>) ReadFstab(BootRoot root)
    {
        var uuids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in (root.ReadText("/etc/fstab") ?? "").Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            string spec = line.Split([' ', '\t'], 2)[0].Replace("\\040", " ", StringComparison.Ordinal);
            if (spec.StartsWith("UUID=", StringComparison.Ordinal)) uuids.Add(spec["UUID=".Length..].Trim('"'));
            else if (spec.StartsWith("LABEL=", StringComparison.Ordinal)) labels.Add(spec["LABEL=".Length..].Trim('"'));
            else if (spec.StartsWith("/dev/disk/by-uuid/", StringComparison.Ordinal)) uuids.Add(spec["/dev/disk/by-uuid/".Length..]);
            else if (spec.StartsWith("/dev/disk/by-label/", StringComparison.Ordinal)) labels.Add(UdevDecode(spec["/dev/disk/by-label/".Length..]));
        }
        return (uuids, labels);
    }
}
