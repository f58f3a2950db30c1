using Rekernel.Discovery;

namespace Rekernel.Machine;

/// <summary>
/// Whether a volume is unlocked at boot by a key sealed to the TPM2's PCRs, which a kexec'd kernel does not
/// reproduce (the firmware and bootloader measurements are gone or differ), so the unlock falls back to a
/// passphrase on the console. Found from files, as nothing can be asked offline: systemd-cryptenroll's
/// <c>tpm2-device=</c> option in <c>/etc/crypttab</c>; or clevis, whose bindings live in the LUKS headers
/// (<c>clevis luks list</c> needs the devices and root), detected as its initramfs integration (initramfs-tools
/// hook or dracut module) together with its TPM2 pin. A Tang-only clevis setup with the TPM2 pin installed is
/// reported too; <c>allow_tpm2_unlock = yes</c> in rekernel.conf is the way out.
/// </summary>
public static class Tpm2Unlock
{
    public const string Crypttab = "/etc/crypttab";
    public const string ClevisTpm2Pin = "/usr/bin/clevis-decrypt-tpm2";
    private static readonly string[] ClevisInitramfs = ["/usr/share/initramfs-tools/hooks/clevis", "/usr/lib/dracut/modules.d/60clevis"];

    /// <summary>What unlocks a volume through the TPM2, as a sentence fragment; null when nothing does.</summary>
    public static string? Find(BootRoot machine)
    {
        foreach (string line in (machine.ReadText(Crypttab) ?? "").Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[0].StartsWith('#')) continue;
            if (fields[3].Split(',').Any(o => o.StartsWith("tpm2-device=", StringComparison.Ordinal)))
                return $"{Crypttab} unlocks {fields[0]} with a TPM2-sealed key (tpm2-device=)";
        }
        if (machine.FileExists(ClevisTpm2Pin) && ClevisInitramfs.FirstOrDefault(p => machine.FileExists(p) || machine.DirectoryExists(p)) is { } hook)
            return $"clevis unlocks volumes in the initramfs ({hook}) and its TPM2 pin is installed";
        return null;
    }
}
