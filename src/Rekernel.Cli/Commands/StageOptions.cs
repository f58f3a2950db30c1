using System.CommandLine;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>The options that choose a kernel and its command line, shared by <c>load</c> and <c>upgrade</c>.</summary>
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
    private readonly Option<bool> _useKexecTools = new("--use-kexec-tools") { Description = "Stage through kexec-tools' kexec program (kexec -s) even when the kernel has kexec_file_load; without it, kexec -c is used by itself." };
    private readonly Option<string> _root = CommonOptions.Root();
    private readonly Option<string?> _running = CommonOptions.Running();

    public void AddTo(Command command)
    {
        command.Add(_target);
        foreach (Option option in new Option[] { _latest, _default, _append, _remove, _cmdline, _panicTimeout, _noPanicReboot, _useKexecTools, _root, _running })
            command.Add(option);
    }

    /// <summary>The request these options describe; conflicting choices are a usage error.</summary>
    public StageRequest Request(ParseResult parsed)
    {
        string? target = parsed.GetValue(_target);
        bool latest = parsed.GetValue(_latest), byDefault = parsed.GetValue(_default);
        if ((target is null ? 0 : 1) + (latest ? 1 : 0) + (byDefault ? 1 : 0) > 1) ThrowHelper.Usage("give only one of TARGET, --latest and --default.");
        return new StageRequest
        {
            Tree = CommonOptions.BootRootFrom(parsed.GetValue(_root)!),
            RunningRelease = parsed.GetValue(_running),
            Target = target,
            Latest = latest,
            Default = byDefault,
            Cmdline = parsed.GetValue(_cmdline),
            Append = [.. parsed.GetValue(_append) ?? []],
            Remove = [.. parsed.GetValue(_remove) ?? []],
            PanicTimeout = parsed.GetValue(_panicTimeout),
            NoPanicReboot = parsed.GetValue(_noPanicReboot),
            ViaKexecTools = parsed.GetValue(_useKexecTools),
        };
    }
}
