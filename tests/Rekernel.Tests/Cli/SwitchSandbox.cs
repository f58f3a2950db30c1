using System.CommandLine;
using Rekernel.Cli;
using Rekernel.Cli.Commands;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Operations;
using Rekernel.Tests.Journal;
using Rekernel.Tests.Switching;

namespace Rekernel.Tests.Cli;

/// <summary>
/// A machine for the switch commands: a system root with /proc facts and systemd's marker directory, state and
/// run directories, a fixed clock, and recording stand-ins for the kexec calls, systemd and logind.
/// </summary>
public sealed class SwitchSandbox : IDisposable
{
    public const string OldKernel = "6.1.0-47-cloud-amd64";
    public const string NewKernel = "6.1.0-53-cloud-amd64";
    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ScratchDirectory _dir = new();

    public SwitchSandbox()
    {
        Boot(OldKernel, "11111111-aaaa-4aaa-8aaa-111111111111", uptimeSeconds: 3600);
        Directory.CreateDirectory(_dir.File("root/run/systemd/system"));
    }

    public RecordingKexecSystem Kexec { get; } = new();
    public RecordingSwitcher Systemd { get; } = new();
    public RecordingScheduler Logind { get; } = new();
    public RecordingKexecWatchdog Watchdog { get; } = new();
    public FixedClock Clock { get; } = new(T0);
    public IStateFileSystem? StateFiles { get; set; }

    /// <summary>What systemd lists as failed; null: systemd cannot be asked.</summary>
    public IReadOnlyList<string>? FailedUnits { get; set; }

    /// <summary>The waits of <c>verify</c> while the machine settles; each advances <see cref="Clock"/> instead of sleeping.</summary>
    public List<TimeSpan> Sleeps { get; } = [];

    /// <summary>The installed programs; none by default, so the return path is written by rekernel itself.</summary>
    public Rekernel.Tests.Fakes.FakePrograms Programs { get; set; } = new();
    public string StateDirectory => _dir.File("state");
    public string RunDirectory => _dir.File("run");
    public string BootId { get; private set; } = "";
    public SwitchJournal Journal => new(StateDirectory);

    /// <summary>The token id <c>rekernel load</c> records in <see cref="Stage"/>; the services make the same one.</summary>
    public const string Token = "0123456789ab";

    /// <summary>The command line a kernel staged by <see cref="Stage"/> comes up with after the kexec.</summary>
    public const string KexecCmdline = "root=/dev/vda ro console=ttyS0 rekernel.switch=" + Token;

    /// <summary>What the next command finds in /proc: the running release, this boot's id, its uptime and its command line.</summary>
    public void Boot(string release, string bootId, double uptimeSeconds, string? cmdline = null)
    {
        BootId = bootId;
        if (cmdline is not null) _dir.Write("root/proc/cmdline", cmdline + "\n");
        _dir.Write("root/proc/sys/kernel/osrelease", release + "\n");
        _dir.Write("root/proc/sys/kernel/random/boot_id", bootId + "\n");
        _dir.Write("root/proc/uptime", uptimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " 1234.56\n");
    }

    /// <summary>What <c>/sys/kernel/kexec_loaded</c> says.</summary>
    public void KexecLoaded(bool loaded) => _dir.Write("root/sys/kernel/kexec_loaded", loaded ? "1\n" : "0\n");

    public void NotSystemd() => Directory.Delete(_dir.File("root/run/systemd/system"));

    /// <summary>What <c>rekernel load</c> leaves behind for <paramref name="bootId"/> (default: this boot).</summary>
    public void Stage(string version = NewKernel, string? bootId = null) => Journal.RecordStaged(new StagedKernel
    {
        Version = version,
        EntryId = "debian-" + version,
        KernelPath = "/boot/vmlinuz-" + version,
        Initrds = ["/boot/initrd.img-" + version],
        Cmdline = KexecCmdline,
        Token = Token,
        StagedAt = Clock.Now,
        BootId = bootId ?? BootId,
        From = OldKernel,
    });

    public MachineServices Services => ServicesWith(Kexec);

    /// <summary>The machine directory, where the commands read /proc, /sys and /run.</summary>
    public string MachineDirectory => _dir.File("root");

    /// <summary>The sandbox's services with another stand-in for the kexec calls (one shared with <c>load</c>).</summary>
    public MachineServices ServicesWith(IKexecSystem kexec) => new()
    {
        Kexec = _ => kexec,
        EffectiveUid = () => 0,
        MachineDirectory = MachineDirectory,
        Clock = Clock,
        NewSwitchToken = () => Token,
        TimeZone = TimeZoneInfo.Utc,
        StateDirectory = StateDirectory,
        RunDirectory = RunDirectory,
        Graceful = () => Systemd,
        Scheduler = () => Logind,
        KexecWatchdog = () => Watchdog,
        LockWait = TimeSpan.FromMilliseconds(200),
        StateFiles = StateFiles,
        MetricsRoot = MetricsRoot,
        Programs = Programs,
        Config = () => Config,
        FailedUnits = () => FailedUnits,
        Sleep = wait =>
        {
            Sleeps.Add(wait);
            Clock.Now += wait;
        },
    };

    /// <summary>Where verify writes its metrics (under it, rekernel.conf's metrics_file); null: none, unless a test sets it.</summary>
    public string? MetricsRoot { get; set; }

    /// <summary>A path under the sandbox's own directory.</summary>
    public string SandboxFile(string name) => _dir.File(name);

    /// <summary>What rekernel.conf says; the defaults unless a test changes it.</summary>
    public Rekernel.Config.RekernelConfig Config { get; set; } = Rekernel.Config.RekernelConfig.Defaults;

    public const string GrubRunning = "6.1.0-47-amd64";
    public const string GrubReturnEntry = "gnulinux-advanced-0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41>gnulinux-6.1.0-47-amd64-advanced-0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41";

    /// <summary>The machine boots through Debian 12's GRUB (the debian12 fixture's /boot) and runs its older kernel, <see cref="GrubRunning"/>.</summary>
    public SwitchSandbox WithDebianGrub()
    {
        string from = Path.Combine(TestPaths.Fixtures, "debian12", "boot");
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string to = _dir.File("root/boot/" + Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        Boot(GrubRunning, BootId, 3600, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet");
        return this;
    }

    /// <summary>GRUB's next_entry in the machine's grubenv, or null.</summary>
    public string? NextEntry => Rekernel.Discovery.GrubEnv.Parse(File.ReadAllText(_dir.File("root/boot/grub/grubenv")))["next_entry"];

    /// <summary>A file of the machine directory.</summary>
    public string MachineFile(string pathInRoot) => _dir.File("root" + pathInRoot);

    /// <summary>Makes the machine the one <see cref="Planning.DebianTree"/> describes: its release, command line, kernel config and memory.</summary>
    public SwitchSandbox RunningDebian()
    {
        foreach ((string path, string content) in Planning.DebianTree.MachineFiles) _dir.Write("root" + path, content);
        return this;
    }

    /// <summary>Runs one rekernel command line in memory; <paramref name="terminal"/> is what the user types.</summary>
    public SwitchRun Run(string commandLine, string? terminal = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, input: terminal is null ? null : new StringReader(terminal));
        MachineServices services = Services;
        var root = new RootCommand("test")
        {
            SwitchCommand.Create(console, services),
            VerifyCommand.Create(console, services),
            HistoryCommand.Create(console, services),
        };
        int exit = root.Parse(commandLine).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return new SwitchRun(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
