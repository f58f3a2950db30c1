/* Prints the kernel ABI constants rekernel hard-codes, from the system headers, as NAME=VALUE lines.
   tests/Rekernel.Tests/Kexec/KexecConstantsTests.cs compiles this and compares with the C# values. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <linux/stat.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define P(name, value) printf("%s=%lld\n", name, (long long)(value))

int main(void)
{
    P("SYS_kexec_file_load", SYS_kexec_file_load);
    P("SYS_reboot", SYS_reboot);
    P("KEXEC_FILE_UNLOAD", KEXEC_FILE_UNLOAD);
    P("KEXEC_FILE_ON_CRASH", KEXEC_FILE_ON_CRASH);
    P("KEXEC_FILE_NO_INITRAMFS", KEXEC_FILE_NO_INITRAMFS);
    P("LINUX_REBOOT_MAGIC1", LINUX_REBOOT_MAGIC1);
    P("LINUX_REBOOT_MAGIC2", LINUX_REBOOT_MAGIC2);
    P("LINUX_REBOOT_CMD_KEXEC", LINUX_REBOOT_CMD_KEXEC);
    P("MFD_CLOEXEC", MFD_CLOEXEC);
    P("O_NOFOLLOW", O_NOFOLLOW);
    P("O_NONBLOCK", O_NONBLOCK);
    P("O_CLOEXEC", O_CLOEXEC);
    P("AT_FDCWD", AT_FDCWD);
    P("AT_EMPTY_PATH", AT_EMPTY_PATH);
    P("AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW);
    P("STATX_BASIC_STATS", STATX_BASIC_STATS);
    P("statx.size", sizeof(struct statx));
    P("statx.stx_uid", offsetof(struct statx, stx_uid));
    P("statx.stx_mode", offsetof(struct statx, stx_mode));
    P("statx.stx_size", offsetof(struct statx, stx_size));
    P("statx.stx_mtime", offsetof(struct statx, stx_mtime));
    return 0;
}
