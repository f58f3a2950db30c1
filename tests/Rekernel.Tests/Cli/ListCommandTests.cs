using System.Text.Json;

namespace Rekernel.Tests.Cli;

public sealed class ListCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => ReadOnlyCli.Run(args);

    [Fact]
    public void Debian12_ListJson_HasTheDocumentedFields_DefaultAndRunningMarked()
    {
        (int code, string output, _) = Run("list", "--json", "--root", Path.Combine(TestPaths.Fixtures, "debian12"), "--running", "6.1.0-47-amd64");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement[] entries = [.. doc.RootElement.GetProperty("entries").EnumerateArray()];
        Assert.Equal(5, entries.Length);
        string[] fields = ["id", "title", "version", "kernel", "initrds", "cmdline", "source", "default", "running"];
        Assert.All(entries, e => Assert.Equal(fields, e.EnumerateObject().Select(p => p.Name)));
        JsonElement first = entries[0];
        Assert.True(first.GetProperty("default").GetBoolean());
        Assert.Equal("grub", first.GetProperty("source").GetString());
        Assert.Equal("/boot/initrd.img-6.1.0-53-amd64", first.GetProperty("initrds")[0].GetString());
        Assert.True(entries[3].GetProperty("running").GetBoolean());
    }

    [Fact]
    public void Rhel8_ListText_MarksTheSavedEntryAndTheRunningKernel()
    {
        (int code, string output, string err) = Run("list", "--root", Path.Combine(TestPaths.Fixtures, "rhel8"), "--running", "4.18.0-348.el8.x86_64");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains(">* 4.18.0-348.el8.x86_64", output);
    }

    [Fact]
    public void MalformedEntry_IsAWarningWithFileAndLine_OthersStillListed()
    {
        string root = Directory.CreateTempSubdirectory("rekernel-list-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "boot/loader/entries"));
            File.WriteAllText(Path.Combine(root, "boot/vmlinuz-6.1.0-53-amd64"), "");
            File.WriteAllText(Path.Combine(root, "boot/loader/entries/good.conf"), "title Good\nversion 6.1.0-53-amd64\nlinux /vmlinuz-6.1.0-53-amd64\n");
            File.WriteAllText(Path.Combine(root, "boot/loader/entries/bad.conf"), "title Bad\nlinux /../../etc/shadow\n");
            (int code, string output, string err) = Run("list", "--root", root, "--running", "x");
            Assert.Equal(0, code);
            Assert.Contains("Good", output);
            Assert.Matches(@"rekernel: warning: /boot/loader/entries/bad\.conf:2: ", err);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MissingRoot_IsAUsageErrorInOneSentence()
    {
        (int code, _, string err) = Run("list", "--root", "/nonexistent/tree");
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Equal("rekernel: --root /nonexistent/tree: no such directory; give the directory that holds the machine's /boot.\n", err);
    }
}
