using System.CommandLine;
using System.Runtime.InteropServices;
using Rekernel.Cli.Rendering;
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
    private readonly Option<bool> _latest = new("--latest") { Description = "Take the newest installed kernel." };
    private readonly Option<bool> _default = new("--default") { Description = "Take the bootloader's default entry (the default)." };
    private readonly Option<string[]> _append = new("--append") { Description = "Add ARG to the command line (repeatable).", HelpName = "ARG" };
    private readonly Option<string[]> _remove = new("--remove") { Description = "Remove KEY and KEY=... from the command line (repeatable).", HelpName = "KEY" };
    private readonly Option<string?> _cmdline = new("--cmdline") { Description = "Use FULL as the command line instead of the entry's.", HelpName = "FULL" };
    private readonly Option<int> _panicTimeout = new("--panic-timeout")
    {
        Description = "Add panic=N when the command line has no panic= (a kernel that fails to boot reboots after N seconds).",
        HelpName = "N",
        DefaultValueFactory = _ => 10,
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
        BootRoot root = CommonOptions.BootRootFrom(parsed.GetValue(_root)!);
        var system = new RunningSystem(root, parsed.GetValue(_running));
        BootInventory inventory = services.Discover(root);
        WarningsWriter.Write(console, inventory.Diagnostics);
        BootEntry entry = TargetSelector.Select(inventory, new TargetRequest(parsed.GetValue(_target), parsed.GetValue(_latest), parsed.GetValue(_default)));
        var request = new CmdlineRequest
        {
            Replace = parsed.GetValue(_cmdline),
            Append = [.. parsed.GetValue(_append) ?? []],
            Remove = [.. parsed.GetValue(_remove) ?? []],
            PanicTimeout = parsed.GetValue(_noPanicReboot) ? null : parsed.GetValue(_panicTimeout),
        };
        string cmdline = CmdlineComposer.Compose(entry.Cmdline, system.Cmdline, request, CmdlineComposer.MaxBytes(RuntimeInformation.ProcessArchitecture));
        bool viaTools = parsed.GetValue(_useKexecTools);
        bool legacy = viaTools && KernelConfig.Read(root, system.Release).IsEnabled("CONFIG_KEXEC_FILE") == false;
        return new StageRequest(root, system, LoadPlan.For(entry, cmdline), viaTools, legacy);
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
        using (KexecImageSet set = KexecImageSet.Assemble(images, entry.Uki, kexec))
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
