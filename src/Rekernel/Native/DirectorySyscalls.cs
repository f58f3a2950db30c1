using System.Runtime.InteropServices;
using System.Text;

namespace Rekernel.Native;

/// <summary>
/// opendir(3)/readdir(3): a directory's names with the type each entry has in the listing itself (d_type), so that
/// a thousand boot entries or kernels are known to be files or directories without a statx each. .NET's enumerator
/// reads d_type too but shows only "is a directory" without another lstat per entry (its Attributes call one), and
/// a file must be told from a link or a device before it is opened.
/// </summary>
internal static partial class DirectorySyscalls
{
    // struct dirent (glibc and musl, 64-bit): d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
    public const int DirentTypeOffset = 18;
    public const int DirentNameOffset = 19;
    public const byte DT_UNKNOWN = 0;
    public const byte DT_DIR = 4;
    public const byte DT_REG = 8;
    public const byte DT_LNK = 10;

    /// <summary>
    /// The entries of a host directory except <c>.</c> and <c>..</c>, in the order the file system lists them, each
    /// with its type as <c>S_IFMT</c> bits (glibc's <c>DTTOIF</c>: <c>DT_*</c> shifted left by 12; 0 when the file
    /// system did not say); null when it cannot be opened or read. Names are decoded from UTF-8 as .NET decodes
    /// them (bad bytes become U+FFFD).
    /// </summary>
    public static unsafe List<(string Name, int Type)>? List(string hostPath)
    {
        nint dir = OpenDir(hostPath);
        if (dir == 0) return null;
        try
        {
            var entries = new List<(string, int)>();
            while (true)
            {
                byte* entry = ReadDir(dir);
                // readdir returns null at the end and on an error; only an error sets errno (the marshaller clears it first).
                if (entry == null) return Marshal.GetLastPInvokeError() == 0 ? entries : null;
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + DirentNameOffset);
                if (name is [(byte)'.'] or [(byte)'.', (byte)'.']) continue;
                entries.Add((Encoding.UTF8.GetString(name), entry[DirentTypeOffset] << 12));
            }
        }
        finally
        {
            _ = CloseDir(dir);
        }
    }

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint OpenDir(string path);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    private static unsafe partial byte* ReadDir(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(nint dir);
}
