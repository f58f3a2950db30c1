namespace Rekernel;

/// <summary>
/// A fix that a front end may phrase in its own terms: the library names what to do, the CLI names the flag that
/// does it (<c>--use-kexec-tools</c>, <c>--cmdline</c>, ...). <see cref="Finding"/> carries one with its cause.
/// </summary>
public enum Remedy
{
    /// <summary>The cause's sentence already says everything; nothing is appended.</summary>
    None,
    /// <summary>kexec_file_load is missing although the config did not say so: stage through kexec-tools, or give up on kexec.</summary>
    UseKexecToolsOrReboot,
    /// <summary>No command line to reuse: give one explicitly.</summary>
    GiveCmdline,
    /// <summary>The entry's options are unusable: fix them or give the whole command line.</summary>
    ReplaceCmdline,
    /// <summary>The planned command line has no root=: fix the entry or add one.</summary>
    AppendRoot,
    /// <summary>The command line is too long.</summary>
    ShortenCmdline,
    /// <summary>Nothing was found where the boot files were looked for.</summary>
    PointAtRoot,
    /// <summary>The bootloader names no default: name a target or take the newest.</summary>
    NameTarget,
    /// <summary>systemd or the bus cannot stop services: jump without stopping them.</summary>
    SwitchNow,
    /// <summary>Services cannot be stopped through systemd here: jump at once without stopping them.</summary>
    JumpNow,
    /// <summary>A confirmation is needed but nobody can be asked.</summary>
    Confirm,
}
