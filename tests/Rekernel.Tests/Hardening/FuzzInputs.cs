using System.Text;
using CsCheck;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Inputs for the parser fuzz tests: files from the fixture trees (what real tools write) and mutations of them,
/// with a dictionary of the tokens each parser cares about, so mutated inputs reach deep into the grammar.
/// </summary>
internal static class FuzzInputs
{
    private static readonly string[] Tokens =
    [
        "..", "/", "/../../", "$", "${", "}", "{", "\"", "'", "\\", "\n", "\r\n", "\t", " ", "#", ";", "=", "\0",
        "menuentry 'x' {", "submenu 's' {", "if [ a = a ]; then", "fi", "else", "elif", "[", "(", "!", "-o", "-a",
        "function f {", "f", "source $prefix/grub.cfg", "configfile /boot/grub/grub.cfg", "load_env -f /boot/grub/grubenv",
        "blscfg", "set default=", "saved_entry=", "linux /vmlinuz-6.1 root=/dev/sda ro", "initrd /initrd.img", "$a$a$a$a",
        "options $kernelopts", "linux ", "initrd ", "efi ", "title ", "version ", "sort-key ", "machine-id ", "architecture x64",
        "while true; do", "done", "for x in a b; do", "HdrS", "MZ", "PE\0\0", ".linux", ".initrd", ".cmdline", ".osrel", ".uname",
        "\"a b\"", "panic=", "BOOT_IMAGE=", "~", ":", "-", "+", "0", "99999999999999999999", "1:2.3-4", "é", "\u00a0", "\ufeff",
    ];

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x0C, 0x20, 0x3C, 0x40, 0x7F, 0x80, 0xFE, 0xFF];

    /// <summary>Every fixture file whose name matches one of the patterns (e.g. <c>*.conf</c>, <c>grub.cfg</c>).</summary>
    public static IReadOnlyList<byte[]> FixtureFiles(params string[] patterns)
    {
        var files = patterns
            .SelectMany(p => Directory.EnumerateFiles(TestPaths.Fixtures, p, SearchOption.AllDirectories))
            .Where(f => new FileInfo(f).Length > 0)
            .Distinct()
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
        Assert.NotEmpty(files);
        return files;
    }

    /// <summary>Seeds mutated 1 to 8 times each (bit flips, dictionary tokens, deletions, repeats, random 32-bit values).</summary>
    public static Gen<byte[]> Mutated(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int, Gen.Int[1, 8])
            .Select((index, seed, count) => Mutate(seeds[index], new Random(seed), count));

    public static Gen<string> MutatedText(IReadOnlyList<byte[]> seeds) => Mutated(seeds).Select(b => Encoding.UTF8.GetString(b));

    /// <summary>Text built only from the dictionary and random characters: syntax soup.</summary>
    public static Gen<string> TokenSoup(int maxTokens) =>
        Gen.OneOf(Gen.Int[0, Tokens.Length - 1].Select(i => Tokens[i]), Gen.Char.Select(c => c.ToString()), Gen.String[0, 12])
            .Array[0, maxTokens]
            .Select(parts => string.Concat(parts));

    public static byte[] Mutate(byte[] seed, Random r, int count)
    {
        var data = new List<byte>(seed);
        for (int i = 0; i < count; i++)
        {
            int at = data.Count == 0 ? 0 : r.Next(data.Count);
            switch (r.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << r.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Interesting[r.Next(Interesting.Length)];
                    break;
                case 2:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[r.Next(Tokens.Length)]));
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + r.Next(64)));
                    break;
                case 4 when data.Count > 0:
                {
                    int length = Math.Min(data.Count - at, 1 + r.Next(32));
                    byte[] chunk = [.. data.GetRange(at, length)];
                    int repeats = 1 + r.Next(r.Next(2) == 0 ? 4 : 200);
                    for (int k = 0; k < repeats; k++) data.InsertRange(at, chunk);
                    break;
                }
                case 5 when data.Count >= 4:
                {
                    int offset = r.Next(data.Count - 3);
                    uint value = r.Next(3) switch { 0 => (uint)r.Next(), 1 => (uint)r.Next(0, 0x200), _ => uint.MaxValue - (uint)r.Next(16) };
                    for (int k = 0; k < 4; k++) data[offset + k] = (byte)(value >> (8 * k));
                    break;
                }
                default:
                    if (data.Count > 0) data.RemoveRange(at, data.Count - at);
                    break;
            }
        }
        return [.. data];
    }
}
