using Rekernel.Machine;
using Rekernel.Native;

namespace Rekernel.Kexec;

/// <summary>Turns the errno of a kexec call into one sentence naming the cause and the fix.</summary>
public static class KexecErrors
{
    private const string SignatureTrust =
        "the image must be signed by a key in the kernel's built-in, secondary or platform keyring, and the platform keyring gets keys only from the UEFI Secure Boot db or shim's MOK list";

    public static KexecException Exception(int errno, KexecOperation operation, KexecFacts facts) =>
        new(errno, Describe(errno, operation, facts));

    public static Finding Describe(int errno, KexecOperation operation, KexecFacts facts)
    {
        string what = What(operation);
        string code = Errno.Name(errno);
        return errno switch
        {
            Errno.EPERM or Errno.EACCES => new(Permission(what, code, operation, facts)),
            Errno.EKEYREJECTED or Errno.EBADMSG or Errno.ENOKEY or Errno.ENODATA or Errno.EMSGSIZE or Errno.EKEYEXPIRED or Errno.EKEYREVOKED =>
                new($"{what} failed ({code}): the kernel's signature check rejected the image (missing, malformed, expired or signed by an untrusted key); {SignatureTrust}."),
            Errno.ENOEXEC =>
                new($"{what} failed ({code}): the file is not a kernel this kernel can load (wrong architecture or format, e.g. a compressed vmlinux instead of a bzImage/Image); pick the kernel built for this machine."),
            Errno.EBUSY =>
                new($"{what} failed ({code}): another kexec load is in progress or the crash kernel is in use; wait for it to finish (or stop kdump's loader) and retry."),
            Errno.ENOSYS => operation switch
            {
                KexecOperation.Reboot => new($"{what} failed ({code}): the running kernel was built without kexec support; reboot normally instead."),
                KexecOperation.Unload => new($"{what} failed ({code}): the running kernel was built without kexec support, so nothing can be staged."),
                _ => new($"{what} failed ({code}): the running kernel was built without CONFIG_KEXEC_FILE", Remedy.UseKexecToolsOrReboot),
            },
            Errno.EINVAL => new(operation == KexecOperation.Reboot
                ? $"{what} failed ({code}): no kernel is staged; run 'rekernel load' first."
                : $"{what} failed ({code}): the kernel rejected the image or command line (a corrupt kernel, or a command line too long for it); check the image and shorten the command line."),
            Errno.ENOMEM or Errno.EFBIG =>
                new($"{what} failed ({code}): not enough contiguous memory to hold the kernel and initrd; free memory (or drop a crashkernel= reservation) and retry."),
            Errno.ENOENT or Errno.EBADF =>
                new($"{what} failed ({code}): the kernel or initrd file was not usable as opened; check that it exists and is readable, then retry."),
            _ => new($"{what} failed ({code}): unexpected error from the kernel; see dmesg for the kernel's reason."),
        };
    }

    private static string Permission(string what, string code, KexecOperation operation, KexecFacts facts)
    {
        if (!facts.IsRoot)
            return $"{what} failed ({code}): kexec needs CAP_SYS_BOOT; run rekernel as root.";
        if (facts.LoadDisabled == true)
            return $"{what} failed ({code}): kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot.";
        if (operation == KexecOperation.Load && facts.Lockdown is LockdownMode.Integrity or LockdownMode.Confidentiality)
        {
            string mode = facts.Lockdown == LockdownMode.Integrity ? "integrity" : "confidentiality";
            string secureBoot = facts.SecureBoot == true
                ? "Secure Boot is on, so sign the kernel with a key enrolled in db or the MOK list"
                : "without Secure Boot even distribution-signed kernels are refused";
            return $"{what} failed ({code}): kernel lockdown ({mode}) refuses unsigned or untrusted images: {SignatureTrust}; {secureBoot}.";
        }
        return $"{what} failed ({code}): the kernel refused kexec (a security module or lockdown may forbid it); see dmesg for the reason.";
    }

    private static string What(KexecOperation operation) => operation switch
    {
        KexecOperation.Load => "staging the kernel (kexec_file_load)",
        KexecOperation.Unload => "unloading the staged kernel (kexec_file_load unload)",
        _ => "jumping into the staged kernel (reboot KEXEC)",
    };
}
