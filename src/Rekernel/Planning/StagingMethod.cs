using Rekernel.Machine;
using Rekernel.Processes;

namespace Rekernel.Planning;

/// <summary>
/// How a kernel is put into memory, and why, in one sentence: the <c>kexec_file_load</c> system call, or
/// kexec-tools' <c>kexec</c> program, with <c>-s</c> (the same system call) or <c>-c</c> (the old <c>kexec_load</c>,
/// for which user space builds the device tree and purgatory). Decided from the running kernel's config, or, where
/// no config is found, from whether the running kernel answers <c>kexec_file_load</c> at all, so the dry run,
/// <c>status</c> and the journal all tell the same.
/// </summary>
/// <param name="Program">The located kexec program when <paramref name="ViaKexecTools"/>; null when it is not installed.</param>
public sealed record StagingMethod(bool ViaKexecTools, bool LegacySyscall, string Reason, string? Program = null)
{
    /// <summary>The journal's and JSON's name of the loader: <c>kexec_file_load</c> or <c>kexec-tools</c>.</summary>
    public string Loader => ViaKexecTools ? "kexec-tools" : "kexec_file_load";

    /// <param name="requested">kexec-tools was asked for (<c>--use-kexec-tools</c>).</param>
    /// <param name="executable">The kexec program to look for: a name searched in PATH, or a path.</param>
    /// <param name="hasFileLoad">
    /// Whether the running kernel has the <c>kexec_file_load</c> system call (<see cref="Kexec.IKexecSystem.HasFileLoad"/>);
    /// asked only when no config of the running kernel is found.
    /// </param>
    public static StagingMethod Choose(KernelConfig config, bool requested, string executable, Func<bool> hasFileLoad)
    {
        bool? fileLoad = config.IsEnabled("CONFIG_KEXEC_FILE");
        string? legacyFact = fileLoad switch
        {
            false when config.IsEnabled("CONFIG_KEXEC") == true =>
                $"the running kernel has only the old kexec_load system call (CONFIG_KEXEC_FILE is not set in {config.Source})",
            null when !hasFileLoad() =>
                "no config of the running kernel was found, and it has no kexec_file_load system call (ENOSYS)",
            _ => null,
        };
        if (legacyFact is not null)
        {
            string why = requested ? "kexec-tools was asked for, and " + legacyFact : legacyFact;
            return new(true, true, $"{why}, so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space.", ProgramRunner.Locate(executable));
        }
        if (requested)
            return new(true, false, "kexec-tools was asked for; it loads the kernel with kexec -s, through the kexec_file_load system call.", ProgramRunner.Locate(executable));
        return new(false, false, fileLoad switch
        {
            true => $"the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in {config.Source}).",
            null => "no config of the running kernel was found, but it has the kexec_file_load system call (it did not answer ENOSYS).",
            false => $"the running kernel was built without kexec support ({config.Source}).",
        });
    }
}
