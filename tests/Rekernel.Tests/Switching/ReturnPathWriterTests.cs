using System.Text;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Processes;
using Rekernel.Switching;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Switching;

public sealed class ReturnPathWriterTests : IDisposable
{
    private const string OneShotFile = "/sys/firmware/efi/efivars/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
    private static readonly ReturnPath Grub = new(ReturnMechanism.GrubNextEntry, "gnulinux-advanced-x>gnulinux-6.1.0-47-amd64-advanced-x", "/boot/grub/grubenv");
    private static readonly ReturnPath OneShot = new(ReturnMechanism.SystemdBootOneShot, "arch-6.8.0-1.conf", OneShotFile);
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ReturnPathWriter Writer(IPrograms? programs = null, bool live = false) => new(new BootRoot(_dir.Path), programs ?? new FakePrograms(), live);

    [Fact]
    public void GrubWithoutGrubEditenv_NextEntryIsWrittenIntoTheExistingBlock_AndClearedAgain()
    {
        byte[] debian = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "debian12", "boot", "grub", "grubenv"));
        _dir.Write("boot/grub/grubenv", Encoding.ASCII.GetString(debian));

        Writer().Set(Grub);

        byte[] set = File.ReadAllBytes(_dir.File("boot/grub/grubenv"));
        Assert.Equal(1024, set.Length);
        Assert.Equal(Grub.Entry, GrubEnv.Parse(Encoding.ASCII.GetString(set))["next_entry"]);
        Assert.True(Writer().Clear(Grub));
        Assert.Equal(debian, File.ReadAllBytes(_dir.File("boot/grub/grubenv")));
    }

    [Fact]
    public void GrubEditenvInstalled_IsUsedWithTheHostPathOfTheBlock()
    {
        Directory.CreateDirectory(_dir.File("boot/grub"));
        var programs = new FakePrograms("grub2-editenv");

        Writer(programs).Set(Grub);

        Assert.Equal([$"grub2-editenv {_dir.File("boot/grub/grubenv")} set next_entry={Grub.Entry}"], programs.Runs);
    }

    [Fact]
    public void GrubEditenvFails_IsAnIOErrorNamingTheTool()
    {
        Directory.CreateDirectory(_dir.File("boot/grub"));
        var programs = new FakePrograms("grub-editenv") { Act = (_, _) => new ProgramRun(1, "", "grub-editenv: error: cannot open `x': Read-only file system.\n") };

        var error = Assert.Throws<IOException>(() => Writer(programs).Set(Grub));

        Assert.EndsWith("failed with exit code 1: grub-editenv: error: cannot open `x': Read-only file system.", error.Message);
    }

    [Fact]
    public void NextEntryChangedSinceTheSwitch_IsLeftAlone()
    {
        _dir.Write("boot/grub/grubenv", Encoding.ASCII.GetString(GrubEnvBlock.With(null, "next_entry", "someone-else")));

        Assert.False(Writer().Clear(Grub));
        Assert.Equal("someone-else", Writer().Current(Grub));
    }

    [Fact]
    public void SystemdBootWithoutBootctl_WritesTheEfiVariableWithItsAttributeHeader()
    {
        Directory.CreateDirectory(_dir.File("sys/firmware/efi/efivars"));

        Writer().Set(OneShot);

        byte[] expected = [0x07, 0, 0, 0, .. Encoding.Unicode.GetBytes("arch-6.8.0-1.conf"), 0, 0];
        Assert.Equal(expected, File.ReadAllBytes(_dir.File(OneShotFile)));
        Assert.True(Writer().Clear(OneShot));
        Assert.False(File.Exists(_dir.File(OneShotFile)));
    }

    [Fact]
    public void Bootctl_IsUsedOnlyOnTheLiveMachine()
    {
        Directory.CreateDirectory(_dir.File("sys/firmware/efi/efivars"));
        var programs = new FakePrograms("bootctl");

        Writer(programs, live: false).Set(OneShot);
        Assert.Empty(programs.Runs);
        File.Delete(_dir.File(OneShotFile));

        Writer(programs, live: true).Set(OneShot);
        Assert.Equal(["bootctl set-oneshot arch-6.8.0-1.conf"], programs.Runs);
    }

    [Fact]
    public void BootctlClearsWithAnEmptyId()
    {
        Directory.CreateDirectory(_dir.File("sys/firmware/efi/efivars"));
        Writer().Set(OneShot);
        var programs = new FakePrograms("bootctl");

        Assert.True(Writer(programs, live: true).Clear(OneShot));

        Assert.Equal(["bootctl set-oneshot "], programs.Runs);
    }
}
