using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Kexec;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Native;
using Rekernel.Operations;

namespace Rekernel.Tests.Cli;

public sealed class LoadCommandTests
{
    private static (int Code, string Out, string Err) Run(TempBootTree tree, FakeKexecSystem fake, uint uid, params string[] args) =>
        Run(tree, fake, uid, s => s, args);

    /// <param name="machine">Changes to the running machine and its services (a kernel config, the kexec program).</param>
    private static (int Code, string Out, string Err) Run(TempBootTree tree, FakeKexecSystem fake, uint uid, Func<MachineServices, MachineServices> machine, params string[] args)
    {
        BootEntry newer = DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}");
        var inventory = new BootInventory([newer], newer, Bootloader.Grub, []);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var sandbox = new SwitchSandbox().RunningDebian();
        MachineServices services = machine(sandbox.ServicesWith(fake) with { EffectiveUid = () => uid, Discover = _ => inventory });
        string[] root = args[0] == "unload" ? [] : ["--root", tree.HostPath];
        int code = CliApp.Run([.. args, .. root], new CliConsole(stdout, stderr), services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void DryRun_PrintsPlanAndStagesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, string err) = Run(tree, fake, 1000, "load", "--dry-run", "--append", "console=ttyS0");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("kernel   /boot/vmlinuz-6.1.0-53-amd64", output);
        Assert.Contains("initrd   /boot/intel-ucode.img", output);
        Assert.Contains("cmdline  root=UUID=abc ro quiet console=ttyS0 panic=10", output);
        Assert.Contains("kexec-tools equivalent: cat /boot/intel-ucode.img", output);
        Assert.Empty(fake.Calls);
    }

    // Debian's arm64 kernels are built like this (measured: config-6.1.0-53-cloud-arm64 in the lab cache).
    private const string OnlyKexecLoad = "CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n";

    private const string KexecLoadReason =
        "the running kernel has only the old kexec_load system call (CONFIG_KEXEC_FILE is not set in /boot/config-6.1.0-47-amd64), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space.";

    /// <summary>A stand-in kexec program in the tree that records its arguments and succeeds.</summary>
    private static string RecordingKexec(TempBootTree tree)
    {
        string path = tree.Host("/fake-sbin/kexec");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/args\"\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void OnlyKexecLoad_DryRunJson_NamesKexecToolsAndWhy()
    {
        using TempBootTree tree = DebianTree.Create();
        string kexec = RecordingKexec(tree);
        (int code, string output, _) = Run(tree, new FakeKexecSystem(), 1000, s =>
        {
            File.WriteAllText(Path.Join(s.MachineDirectory, "boot/config-6.1.0-47-amd64"), OnlyKexecLoad);
            return s with { KexecToolsExecutable = kexec };
        }, "load", "--dry-run", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("kexec-tools", doc.RootElement.GetProperty("loader").GetString());
        Assert.Equal(KexecLoadReason, doc.RootElement.GetProperty("loaderReason").GetString());
        Assert.Contains("kexec -c -l /boot/vmlinuz-6.1.0-53-amd64", doc.RootElement.GetProperty("kexecTools").GetString());
    }

    [Fact]
    public void OnlyKexecLoad_Load_GoesThroughKexecToolsMinusC_AndTheJournalSaysWhy()
    {
        using TempBootTree tree = DebianTree.Create();
        string kexec = RecordingKexec(tree);
        var fake = new FakeKexecSystem { IsLoaded = true };
        (int code, _, string err) = Run(tree, fake, 0, s =>
        {
            File.WriteAllText(Path.Join(s.MachineDirectory, "boot/config-6.1.0-47-amd64"), OnlyKexecLoad);
            return s with { KexecToolsExecutable = kexec, StateDirectory = tree.Host("/state") };
        }, "load");
        Assert.Equal("", err);
        Assert.Equal(0, code);
        string[] args = File.ReadAllLines(tree.Host("/fake-sbin/args"));
        Assert.Equal(["-u", "-c", "-l"], args[..3]);
        // The system call was never made: kexec-tools did the unload and the load.
        Assert.DoesNotContain("LoadFile", fake.Calls);
        Assert.DoesNotContain("Unload", fake.Calls);
        Rekernel.Journal.StagedKernel staged = new Rekernel.Journal.SwitchJournal(tree.Host("/state")).Staged!;
        Assert.Equal("kexec-tools", staged.Loader);
        Assert.Equal(KexecLoadReason, staged.LoaderReason);
    }

    private const string NoConfigNoFileLoadReason =
        "no config of the running kernel was found, and it has no kexec_file_load system call (ENOSYS), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space.";

    [Fact]
    public void NoKernelConfig_KernelWithoutKexecFileLoad_StagesThroughKexecToolsMinusC_AndStatusDryRunAndJournalSayWhy()
    {
        using TempBootTree tree = DebianTree.Create();
        string kexec = RecordingKexec(tree);
        var fake = new FakeKexecSystem { IsLoaded = true, HasFileLoad = false };
        MachineServices NoConfig(MachineServices s)
        {
            File.Delete(Path.Join(s.MachineDirectory, "boot/config-6.1.0-47-amd64"));
            return s with { KexecToolsExecutable = kexec, StateDirectory = tree.Host("/state") };
        }

        (_, string status, _) = Run(tree, fake, 0, NoConfig, "status");
        (_, string dryRun, _) = Run(tree, fake, 0, NoConfig, "load", "--dry-run");
        (int code, _, string err) = Run(tree, fake, 0, NoConfig, "load");

        Assert.Contains($"ok    loader               kexec-tools ({kexec}): {NoConfigNoFileLoadReason}\n", status);
        Assert.Contains("ok    kexec-support        no kexec_file_load (no kernel config found, and the system call answered ENOSYS); kexec_load is tried\n", status);
        Assert.Contains($"  loader   kexec-tools: {NoConfigNoFileLoadReason}\n", dryRun);
        Assert.Contains("kexec-tools equivalent: cat /boot/intel-ucode.img", dryRun);
        Assert.Equal("", err);
        Assert.Equal(0, code);
        Assert.Equal(["-u", "-c", "-l"], File.ReadAllLines(tree.Host("/fake-sbin/args"))[..3]);
        Assert.DoesNotContain("LoadFile", fake.Calls);
        Rekernel.Journal.StagedKernel staged = new Rekernel.Journal.SwitchJournal(tree.Host("/state")).Staged!;
        Assert.Equal("kexec-tools", staged.Loader);
        Assert.Equal(NoConfigNoFileLoadReason, staged.LoaderReason);
    }

    [Fact]
    public void Load_StagesAndSaysWhat()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, _) = Run(tree, fake, 0, "load", "--remove", "quiet", "--no-panic-reboot");
        Assert.Equal(0, code);
        Assert.Equal(
            "Staged 6.1.0-53-amd64 (kernel /boot/vmlinuz-6.1.0-53-amd64, initrds /boot/intel-ucode.img, /boot/initrd.img-6.1.0-53-amd64) with command line: root=UUID=abc ro rekernel.switch=0123456789ab\n",
            output);
        Assert.Equal("root=UUID=abc ro rekernel.switch=0123456789ab", fake.LoadedCmdline);
        // The initrd is assembled before the old kernel is unloaded, so a failure there leaves it staged.
        Assert.Equal(["CreateMemoryFile", "Unload", "LoadFile"], fake.Calls);
    }

    [Fact]
    public void Load_Json_ReportsStagedPlan()
    {
        using TempBootTree tree = DebianTree.Create();
        (int code, string output, _) = Run(tree, new FakeKexecSystem(), 0, "load", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"staged\": true", output);
        Assert.Contains("\"cmdline\": \"root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab\"", output);
    }

    [Fact]
    public void Load_NotRoot_IsRefusedWithExitCode4()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, _, string err) = Run(tree, fake, 1000, "load");
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.StartsWith("rekernel: staging a kernel needs CAP_SYS_BOOT", err);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Load_KernelRefuses_ExitsKexecFailedWithExplanation()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem().FailOn("LoadFile", Errno.ENOSYS);
        (int code, _, string err) = Run(tree, fake, 0, "load");
        Assert.Equal((int)ExitCode.KexecFailed, code);
        Assert.Contains("--use-kexec-tools", err);
    }

    [Fact]
    public void Load_UnknownTarget_ExitsNotFound()
    {
        using TempBootTree tree = DebianTree.Create();
        (int code, _, string err) = Run(tree, new FakeKexecSystem(), 0, "load", "5.10.0-1-amd64");
        Assert.Equal((int)ExitCode.NotFound, code);
        Assert.Contains("6.1.0-53-amd64", err);
    }

    [Fact]
    public void Unload_SaysWhetherSomethingWasStaged()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem { IsLoaded = true };
        (int code, string output, string err) = Run(tree, fake, 0, "unload");
        Assert.True(code == 0, err);
        Assert.Equal("Unloaded the staged kernel.\n", output);
        Assert.Equal("Nothing was staged.\n", Run(tree, fake, 0, "unload").Out);
    }
}
