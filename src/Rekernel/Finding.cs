namespace Rekernel;

/// <summary>
/// One sentence for the user: a cause and, optionally, a <see cref="Rekernel.Remedy"/> that completes it.
/// <see cref="Text"/> is the library's wording; a front end may word the remedy with its own flags.
/// </summary>
/// <param name="Cause">The cause, and any fix that needs no front end's words; no final period when a remedy follows.</param>
public readonly record struct Finding(string Cause, Remedy Remedy = Remedy.None)
{
    /// <summary>The sentence in the library's words.</summary>
    public string Text => Complete(RemedyWords(Remedy));

    /// <summary>The cause completed by <paramref name="remedyWords"/> (the remedy in some front end's words).</summary>
    public string Complete(string remedyWords) => Remedy == Remedy.None ? Cause : $"{Cause}{Joiner(Remedy)}{remedyWords}.";

    public override string ToString() => Text;

    /// <summary>How a remedy attaches to its cause: most start a new clause; a switch is offered as an alternative.</summary>
    private static string Joiner(Remedy remedy) => remedy == Remedy.SwitchNow ? ", or " : "; ";

    private static string RemedyWords(Remedy remedy) => remedy switch
    {
        Remedy.UseKexecToolsOrReboot => "retry through kexec-tools to use the older kexec_load system call, or reboot normally",
        Remedy.GiveCmdline => "give the command line explicitly",
        Remedy.ReplaceCmdline => "fix the entry's options or give the whole command line explicitly",
        Remedy.AppendRoot => "fix the entry's options or add root=... to the command line",
        Remedy.ShortenCmdline => "shorten it by removing arguments or giving a shorter command line",
        Remedy.PointAtRoot => "install a kernel, or read the boot files of the machine's real root",
        Remedy.NameTarget => "name a target or take the newest kernel",
        Remedy.SwitchNow => "switch at once without stopping services",
        Remedy.JumpNow => "sync and jump at once instead (services are not stopped)",
        Remedy.Confirm => "confirm the switch",
        _ => "",
    };
}
