using System.CommandLine;
using System.Runtime.InteropServices;
using Rekernel.Cli.Rendering;
using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary>
/// The options that choose and stage a kernel, shared by <c>load</c> and <c>upgrade</c>, and the staging itself:
/// target choice, command-line composition, preflight, kexec, and the note in the journal.
/// </summary>
public sealed class StageOptions
{
    private readonly Argument<string?> _target = new("TARGET")
    {
        Description = "The kernel: a version (6.1.0-53-amd64), a boot entry id or title, or a kernel path. Default: the bootloader default.",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<bool> _latest = new("--latest") { Description = "Take the newest installed kernel (also: target = latest in rekernel.conf)." };
    private readonly Option<bool> _default = new("--default") { Description = "Take the bootloader's default entry (the default unless rekernel.conf says target = latest)." };
    private readonly Option<string[]> _append = new("--append") { Description = "Add ARG to the command line (repeatable).", HelpName = "ARG" };
    private readonly Option<string[]> _remove = new("--remove") { Description = "Remove KEY and KEY=... from the command line (repeatable).", HelpName = "KEY" };
    private readonly Option<string?> _cmdline = new("--cmdline") { Description = "Use FULL as the command line instead of the entry's.", HelpName = "FULL" };
    private readonly Option<int?> _panicTimeout = new("--panic-timeout")
    {
        Description = "Add panic=N when the command line has no panic= (a kernel that fails to boot reboots after N seconds; default: panic_timeout in rekernel.conf, else 10).",
        HelpName = "N",
    };
    private readonly Option<bool> _noPanicReboot = new("--no-panic-reboot") { Description = "Do not add panic=N." };
    private readonly Option<bool> _useKexecTools = new("--use-kexec-tools") { Description = "Stage through kexec-tools' kexec program (kexec -s, or -c when the kernel lacks kexec_file_load)." };
    private readonly Option<string> _root = CommonOptions.Root();
    private readonly Option<string?> _running = CommonOptions.Running();

    public void AddTo(Command command)
    {
        command.Add(_target);
        foreach (Option option in new Option[] { _latest, _default, _append, _remove, _cmdline, _panicTimeout, _noPanicReboot, _useKexecTools, _root, _running })
            command.Add(option);
    }

    /// <summary>Chooses the target and composes its command line; touches nothing.</summary>
    public StageRequest Plan(ParseResult parsed, CliConsole console, CliServices services)
    {
        RekernelConfig config = services.Config();
        BootRoot root = CommonOptions.BootRootFrom(parsed.GetValue(_root)!);
        var system = new RunningSystem(root, parsed.GetValue(_running));
        BootInventory inventory = services.Discover(root);
        WarningsWriter.Write(console, inventory.Diagnostics);
        BootEntry entry = TargetSelector.Select(inventory, Target(parsed, config));
        var request = new CmdlineRequest
        {
            Replace = parsed.GetValue(_cmdline),
            Append = [.. config.Append, .. parsed.GetValue(_append) ?? []],
            Remove = [.. config.Remove, .. parsed.GetValue(_remove) ?? []],
            PanicTimeout = PanicTimeout(parsed, config),
        };
        string cmdline = CmdlineComposer.Compose(entry.Cmdline, system.Cmdline, request, CmdlineComposer.MaxBytes(RuntimeInformation.ProcessArchitecture));
        RootDiscoveryCheck.Check(entry, cmdline, system.Cmdline);
        bool viaTools = parsed.GetValue(_useKexecTools);
        bool legacy = viaTools && KernelConfig.Read(root, system.Release).IsEnabled("CONFIG_KEXEC_FILE") == false;
        return new StageRequest(root, system, LoadPlan.For(entry, cmdline), viaTools, legacy, config);
    }

    /// <summary>The command line's choice; <c>target = latest</c> from the config only when it names none.</summary>
    private TargetRequest Target(ParseResult parsed, RekernelConfig config)
    {
        string? target = parsed.GetValue(_target);
        bool byDefault = parsed.GetValue(_default);
        bool latest = parsed.GetValue(_latest) || (config.Target == TargetPolicy.Latest && target is null && !byDefault);
        return new TargetRequest(target, latest, byDefault);
    }

    /// <summary><c>--no-panic-reboot</c>, else <c>--panic-timeout</c> when given, else the config's <c>panic_timeout</c>.</summary>
    private int? PanicTimeout(ParseResult parsed, RekernelConfig config)
    {
        if (parsed.GetValue(_noPanicReboot)) return null;
        return parsed.GetValue(_panicTimeout) ?? config.PanicTimeout;
    }

    /// <summary>
    /// Runs preflight on the opened files and, unless <paramref name="dryRun"/>, stages them and notes the staged
    /// kernel in the journal (the caller holds the lock). Returns the preflight warnings.
    /// </summary>
    public static IReadOnlyList<string> Stage(StageRequest stage, CliConsole console, CliServices services, SwitchServices switching, bool dryRun)
    {
        BootEntry entry = stage.Plan.Entry;
        using OpenedImages images = OpenedImages.Open(stage.Root, entry);
        IReadOnlyList<string> warnings = new Preflight(stage.Root, stage.System, services.EffectiveUid).Check(entry, images, staging: !dryRun, stage.Legacy);
        foreach (string w in warnings) console.Error.WriteLine($"rekernel: warning: {w}");
        if (dryRun) return warnings;

        IKexecSystem kexec = services.Kexec(stage.Root);
        var stager = new Stager(kexec);
        ShowCopyProgress(console, images, entry);
        KexecImageSet assembled;
        try { assembled = KexecImageSet.Assemble(images, entry.Uki, kexec); }
        finally { console.EndProgress(); }
        using (KexecImageSet set = assembled)
        {
            // Preflight read these descriptors; a package manager rewriting a file in place since then would
            // have the kernel load bytes nobody checked.
            images.EnsureUnchanged();
            if (stage.ViaKexecTools) stager.StageWithKexecTools(stage.Plan, set, new KexecTools(services.KexecToolsExecutable), stage.Legacy);
            else stager.Stage(stage.Plan, set);
        }
        try
        {
            NoteStaged(stage.Plan, console, switching);
        }
        catch (RekernelException)
        {
            // A kernel staged but not journaled would be switched into without `verify` knowing what it was: the
            // command fails, so it leaves nothing staged.
            stager.Unload();
            throw;
        }
        return warnings;
    }

    /// <summary>Above this, copying initrds into memory takes long enough on slow disks to say so.</summary>
    private const long LargeCopyBytes = 32L << 20;

    /// <summary>Says on a terminal that several initrds (or a UKI's) are being copied into one memory file, when that is large.</summary>
    private static void ShowCopyProgress(CliConsole console, OpenedImages images, BootEntry entry)
    {
        long bytes = images.Initrds.Sum(f => f.Size) + (entry.Uki is null ? 0 : images.Kernel.Size);
        bool copies = entry.Uki is not null || images.Initrds.Length > 1;
        if (copies && bytes >= LargeCopyBytes)
            console.Progress($"reading {bytes >> 20} MiB of {(entry.Uki is null ? "initrds" : "the UKI")} into memory...");
    }

    private static void NoteStaged(LoadPlan plan, CliConsole console, SwitchServices switching)
    {
        if (new RunningSystem(switching.SystemRoot).Line(SwitchCommand.BootIdPath) is not { } bootId)
        {
            console.Error.WriteLine($"rekernel: warning: cannot read {SwitchCommand.BootIdPath}; `rekernel verify` will not know the staged version.");
            return;
        }
        switching.Journal().RecordStaged(new StagedKernel
        {
            Version = plan.Entry.Version ?? plan.Entry.Title,
            EntryId = plan.Entry.Id,
            KernelPath = plan.Kernel,
            Initrds = plan.Initrds,
            Cmdline = plan.Cmdline,
            StagedAt = switching.Clock.GetUtcNow(),
            BootId = bootId,
        });
    }
}
