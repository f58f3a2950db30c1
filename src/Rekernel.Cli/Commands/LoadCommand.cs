using System.CommandLine;
using System.Runtime.InteropServices;
using Rekernel.Cli.Rendering;
using Rekernel.Discovery;
using Rekernel.Kexec;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel load</c>: stage a kernel (the bootloader default unless told otherwise) without jumping into it.</summary>
public static class LoadCommand
{
    public static Command Create(CliConsole console, CliServices services)
    {
        var target = new Argument<string?>("TARGET")
        {
            Description = "The kernel to stage: a version (6.1.0-53-amd64), a boot entry id or title, or a kernel path. Default: the bootloader default.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var latest = new Option<bool>("--latest") { Description = "Stage the newest installed kernel." };
        var defaultEntry = new Option<bool>("--default") { Description = "Stage the bootloader's default entry (the default)." };
        var append = new Option<string[]>("--append") { Description = "Add ARG to the command line (repeatable).", HelpName = "ARG" };
        var remove = new Option<string[]>("--remove") { Description = "Remove KEY and KEY=... from the command line (repeatable).", HelpName = "KEY" };
        var cmdline = new Option<string?>("--cmdline") { Description = "Use FULL as the command line instead of the entry's.", HelpName = "FULL" };
        var panicTimeout = new Option<int>("--panic-timeout")
        {
            Description = "Add panic=N when the command line has no panic= (a kernel that fails to boot reboots after N seconds).",
            HelpName = "N",
            DefaultValueFactory = _ => 10,
        };
        var noPanicReboot = new Option<bool>("--no-panic-reboot") { Description = "Do not add panic=N." };
        var useKexecTools = new Option<bool>("--use-kexec-tools") { Description = "Stage through kexec-tools' kexec program (kexec -s, or -c when the kernel lacks kexec_file_load)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be staged, and stage nothing." };
        Option<string> root = CommonOptions.Root();
        Option<string?> running = CommonOptions.Running();
        Option<bool> json = CommonOptions.Json();
        var command = new Command("load", "Stage a kernel in memory with kexec, ready for 'rekernel switch'.")
        {
            target, latest, defaultEntry, append, remove, cmdline, panicTimeout, noPanicReboot, useKexecTools, dryRun, root, running, json,
        };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            BootRoot bootRoot = CommonOptions.BootRootFrom(parsed.GetValue(root)!);
            var runningSystem = new RunningSystem(bootRoot, parsed.GetValue(running));
            BootInventory inventory = services.Discover(bootRoot);
            WarningsWriter.Write(console, inventory.Diagnostics);
            BootEntry entry = TargetSelector.Select(inventory, new TargetRequest(parsed.GetValue(target), parsed.GetValue(latest), parsed.GetValue(defaultEntry)));
            var request = new CmdlineRequest
            {
                Replace = parsed.GetValue(cmdline),
                Append = [.. parsed.GetValue(append) ?? []],
                Remove = [.. parsed.GetValue(remove) ?? []],
                PanicTimeout = parsed.GetValue(noPanicReboot) ? null : parsed.GetValue(panicTimeout),
            };
            string finalCmdline = CmdlineComposer.Compose(entry.Cmdline, runningSystem.Cmdline, request, CmdlineComposer.MaxBytes(RuntimeInformation.ProcessArchitecture));
            LoadPlan plan = LoadPlan.For(entry, finalCmdline);
            bool viaTools = parsed.GetValue(useKexecTools);
            bool legacy = viaTools && KernelConfig.Read(bootRoot, runningSystem.Release).IsEnabled("CONFIG_KEXEC_FILE") == false;
            bool dry = parsed.GetValue(dryRun);

            using OpenedImages images = OpenedImages.Open(bootRoot, entry);
            IReadOnlyList<string> warnings = new Preflight(bootRoot, runningSystem, services.EffectiveUid).Check(entry, images, staging: !dry, legacy);
            foreach (string w in warnings) console.Error.WriteLine($"rekernel: warning: {w}");
            bool staged = false;
            if (!dry)
            {
                IKexecSystem kexec = services.Kexec(bootRoot);
                using KexecImageSet set = KexecImageSet.Assemble(images, entry.Uki, kexec);
                var stager = new Stager(kexec);
                if (viaTools) stager.StageWithKexecTools(plan, set, new KexecTools(services.KexecToolsExecutable), legacy);
                else stager.Stage(plan, set);
                staged = true;
            }
            if (parsed.GetValue(json)) WriteJson(console, plan, staged, warnings);
            else if (staged) WriteStaged(console, plan);
            else WriteDryRun(console, plan);
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static void WriteStaged(CliConsole console, LoadPlan plan)
    {
        string initrds = plan.Initrds.IsEmpty ? "no initrd" : $"initrds {string.Join(", ", plan.Initrds)}";
        console.Out.WriteLine($"Staged {plan.Entry.Version ?? plan.Entry.Title} (kernel {plan.Kernel}, {initrds}) with command line: {plan.Cmdline}");
    }

    private static void WriteDryRun(CliConsole console, LoadPlan plan)
    {
        console.Out.WriteLine("Would stage (dry run; nothing staged):");
        console.Out.WriteLine($"  entry    {plan.Entry.Id} ({plan.Entry.Title})");
        console.Out.WriteLine($"  version  {plan.Entry.Version ?? "?"}");
        console.Out.WriteLine($"  kernel   {plan.Kernel}");
        foreach (string initrd in plan.Initrds) console.Out.WriteLine($"  initrd   {initrd}");
        console.Out.WriteLine($"  cmdline  {plan.Cmdline}");
        console.Out.WriteLine($"  kexec-tools equivalent: {plan.KexecToolsCommand}");
    }

    private static void WriteJson(CliConsole console, LoadPlan plan, bool staged, IReadOnlyList<string> warnings) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("staged", staged);
            w.WriteString("entry", plan.Entry.Id);
            w.WriteString("title", plan.Entry.Title);
            w.WriteString("version", plan.Entry.Version);
            w.WriteString("kernel", plan.Kernel);
            w.WriteStartArray("initrds");
            foreach (string initrd in plan.Initrds) w.WriteStringValue(initrd);
            w.WriteEndArray();
            w.WriteString("cmdline", plan.Cmdline);
            w.WriteString("kexecTools", plan.KexecToolsCommand);
            w.WriteStartArray("warnings");
            foreach (string warning in warnings) w.WriteStringValue(warning);
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
