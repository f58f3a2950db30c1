using System.Text;
using Rekernel.Discovery;

namespace Rekernel.Tests.Discovery.Bls;

/// <summary>A throw-away root directory to write small boot trees into.</summary>
internal sealed class TempBootTree : IDisposable
{
    public TempBootTree()
    {
        HostPath = Path.Combine(Path.GetTempPath(), "rekernel-bls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(HostPath);
        Root = new BootRoot(HostPath);
    }

    public string HostPath { get; }

    public BootRoot Root { get; }

    public TempBootTree Write(string pathInRoot, string text) => WriteBytes(pathInRoot, Encoding.UTF8.GetBytes(text));

    public TempBootTree WriteBytes(string pathInRoot, byte[] bytes)
    {
        string host = Root.ToHost(pathInRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllBytes(host, bytes);
        return this;
    }

    /// <summary>An efivarfs file: attributes (NV|BS|RT) then the UTF-16LE string and its NUL.</summary>
    public TempBootTree WriteEfiVariable(string name, string value)
    {
        byte[] attributes = [7, 0, 0, 0];
        return WriteBytes($"/sys/firmware/efi/efivars/{name}-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f",
            [.. attributes, .. Encoding.Unicode.GetBytes(value + "\0")]);
    }

    public TempBootTree Symlink(string pathInRoot, string target)
    {
        string host = Root.ToHost(pathInRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.CreateSymbolicLink(host, target);
        return this;
    }

    /// <summary>Copies a fixture tree (tests/fixtures/NAME) into this root.</summary>
    public TempBootTree CopyFixture(string name)
    {
        string source = Path.Combine(TestPaths.Fixtures, name);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(HostPath, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(HostPath, recursive: true); }
        catch (IOException) { }
    }
}
