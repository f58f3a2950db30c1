namespace Rekernel.Cli;

/// <summary>
/// The library names a remedy (<see cref="Remedy"/>); the CLI words it with the flag that applies it, so every
/// sentence a user reads names the option to type.
/// </summary>
public static class FlagAdvice
{
    /// <summary>The finding's sentence with its remedy in the CLI's words.</summary>
    public static string Sentence(Finding finding) => finding.Complete(Words(finding.Remedy));

    private static string Words(Remedy remedy) => remedy switch
    {
        Remedy.UseKexecToolsOrReboot => "retry with --use-kexec-tools to use the older kexec_load system call, or reboot normally",
        Remedy.GiveCmdline => "give one with --cmdline",
        Remedy.ReplaceCmdline => "fix the entry's options or give the whole line with --cmdline",
        Remedy.AppendRoot => "fix the entry's options or add root=... with --append",
        Remedy.ShortenCmdline => "shorten it with --remove or --cmdline",
        Remedy.PointAtRoot => "install a kernel or point --root at the machine's root",
        Remedy.NameTarget => "name a TARGET or use --latest",
        Remedy.SwitchNow => "switch with --now",
        Remedy.JumpNow => "use --now to sync and jump at once (services are not stopped)",
        Remedy.Confirm => "pass --yes to switch without asking",
        _ => "",
    };
}
