using Rekernel.Discovery;
using Rekernel.Machine;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Cli;

/// <summary>A volume unlocked by a TPM2-sealed key asks for a passphrase after a kexec: a warning, and no unattended switch.</summary>
public sealed class Tpm2UnlockTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();
    private readonly SwitchSandbox _box = new();

    public void Dispose()
    {
        _box.Dispose();
        _dir.Dispose();
    }

    private string? Found() => Tpm2Unlock.Find(new BootRoot(_dir.Path));

    [Fact]
    public void SystemdCryptenroll_CrypttabTpm2Device_IsFound()
    {
        _dir.Write("etc/crypttab", "# <name> <device> <key> <options>\nswap /dev/vda3 /dev/urandom swap\nroot UUID=4f1c2e0a-1b2c-4d5e-8f90-123456789abc none luks,discard,tpm2-device=auto\n");

        Assert.Equal("/etc/crypttab unlocks root with a TPM2-sealed key (tpm2-device=)", Found());
    }

    [Fact]
    public void CrypttabWithPassphraseOnly_IsNotATpm2Unlock()
    {
        _dir.Write("etc/crypttab", "root UUID=4f1c2e0a none luks,discard\n#data /dev/vdb none tpm2-device=auto\n");

        Assert.Null(Found());
    }

    [Fact]
    public void ClevisInTheInitramfsWithItsTpm2Pin_IsFound()
    {
        _dir.Write("usr/share/initramfs-tools/hooks/clevis", "#!/bin/sh\n");
        _dir.Write("usr/bin/clevis-decrypt-tpm2", "#!/bin/sh\n");

        Assert.Equal("clevis unlocks volumes in the initramfs (/usr/share/initramfs-tools/hooks/clevis) and its TPM2 pin is installed", Found());
    }

    [Fact]
    public void ClevisWithoutTheTpm2Pin_TangOnly_IsNotATpm2Unlock()
    {
        Directory.CreateDirectory(_dir.File("usr/lib/dracut/modules.d/60clevis"));

        Assert.Null(Found());
    }

    private void Tpm2Root() => File.WriteAllText(Path.Join(_box.MachineDirectory, "etc/crypttab"), "root /dev/vda2 none tpm2-device=auto\n");

    [Fact]
    public void UnattendedSwitch_IsRefused_NothingSwitched()
    {
        Directory.CreateDirectory(Path.Join(_box.MachineDirectory, "etc"));
        Tpm2Root();
        _box.Stage();

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.Equal(
            "rekernel: /etc/crypttab unlocks root with a TPM2-sealed key (tpm2-device=), so after the kexec it will ask for a passphrase on the console and an unattended switch would hang there; switch interactively, or set allow_tpm2_unlock = yes in rekernel.conf when someone can type it.\n",
            run.Err);
        Assert.Equal(0, _box.Systemd.Switches);
        Assert.Empty(_box.Journal.History);
    }

    [Fact]
    public void UnattendedSwitch_AllowedByTheConfig_GoesAheadWithAWarning()
    {
        Directory.CreateDirectory(Path.Join(_box.MachineDirectory, "etc"));
        Tpm2Root();
        _box.Stage();
        _box.Config = _box.Config with { AllowTpm2Unlock = true };

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal(0, run.Exit);
        Assert.Contains("the kexec'd kernel does not reproduce the TPM2 measurements, so that unlock will ask for a passphrase on the console.", run.Err);
        Assert.Equal(1, _box.Systemd.Switches);
    }
}
