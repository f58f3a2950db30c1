namespace Rekernel.Tests.Journal;

/// <summary>A fresh directory under /tmp, removed when the test ends.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = Directory.CreateTempSubdirectory("rekernel-test-").FullName;
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Join(Path, relative);

    /// <summary>Writes a file (creating its directories) and returns its path.</summary>
    public string Write(string relative, string text)
    {
        string path = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
