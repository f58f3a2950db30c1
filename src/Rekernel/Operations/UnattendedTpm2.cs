using Rekernel.Config;
using Rekernel.Machine;

namespace Rekernel.Operations;

/// <summary>
/// An unattended switch (<c>--yes</c>, the timer: nobody confirms) on a machine whose volume unlock is sealed to
/// the TPM2 would wait at a passphrase prompt with nobody at the console, so it is refused unless rekernel.conf
/// says <c>allow_tpm2_unlock = yes</c>. An operator who confirms is warned (preflight) and may go ahead.
/// </summary>
internal static class UnattendedTpm2
{
    public static void Refuse(RunningSystem machine, RekernelConfig config, bool attended)
    {
        if (attended || config.AllowTpm2Unlock || machine.Tpm2Unlock is not { } found) return;
        ThrowHelper.Refuse($"{found}, so after the kexec it will ask for a passphrase on the console and an unattended switch would hang there; switch interactively, or set allow_tpm2_unlock = yes in rekernel.conf when someone can type it.");
    }
}
