/* The kernel ABI constants rekernel hard-codes, as an X-macro list of (NAME, C expression). consts.c prints
   them for the build architecture; expect.c checks them at compile time for a cross compiler's architecture.
   tests/Rekernel.Tests/Kexec/KexecConstantsTests.cs drives both and compares with the C# values. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <linux/stat.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define REKERNEL_CONSTANTS(X) \
    X(SYS_kexec_file_load, SYS_kexec_file_load) X(SYS_kexec_load, SYS_kexec_load) X(SYS_reboot, SYS_reboot) \
    X(KEXEC_FILE_UNLOAD, KEXEC_FILE_UNLOAD) X(KEXEC_FILE_ON_CRASH, KEXEC_FILE_ON_CRASH) \
    X(KEXEC_FILE_NO_INITRAMFS, KEXEC_FILE_NO_INITRAMFS) \
    X(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC1) X(LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC2) \
    X(LINUX_REBOOT_CMD_KEXEC, LINUX_REBOOT_CMD_KEXEC) X(MFD_CLOEXEC, MFD_CLOEXEC) \
    X(O_RDONLY, O_RDONLY) X(O_RDWR, O_RDWR) X(O_CREAT, O_CREAT) X(O_DIRECTORY, O_DIRECTORY) \
    X(O_NOFOLLOW, O_NOFOLLOW) X(O_NONBLOCK, O_NONBLOCK) X(O_CLOEXEC, O_CLOEXEC) \
    X(AT_FDCWD, AT_FDCWD) X(AT_EMPTY_PATH, AT_EMPTY_PATH) X(AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW) \
    X(STATX_BASIC_STATS, STATX_BASIC_STATS) X(LOCK_EX, LOCK_EX) X(LOCK_NB, LOCK_NB) \
    X(statx_size, sizeof(struct statx)) X(statx_stx_uid, offsetof(struct statx, stx_uid)) \
    X(statx_stx_mode, offsetof(struct statx, stx_mode)) X(statx_stx_ino, offsetof(struct statx, stx_ino)) \
    X(statx_stx_size, offsetof(struct statx, stx_size)) X(statx_stx_mtime, offsetof(struct statx, stx_mtime)) \
    X(statx_stx_dev_major, offsetof(struct statx, stx_dev_major)) X(statx_stx_dev_minor, offsetof(struct statx, stx_dev_minor)) \
    X(EPERM, EPERM) X(ENOENT, ENOENT) X(EINTR, EINTR) X(EIO, EIO) X(ENOEXEC, ENOEXEC) X(EBADF, EBADF) \
    X(EAGAIN, EAGAIN) X(ENOMEM, ENOMEM) X(EACCES, EACCES) X(EBUSY, EBUSY) X(EINVAL, EINVAL) X(EFBIG, EFBIG) \
    X(ENOSPC, ENOSPC) X(EROFS, EROFS) X(ENOSYS, ENOSYS) X(ENODATA, ENODATA) X(EBADMSG, EBADMSG) \
    X(EMSGSIZE, EMSGSIZE) X(ENOKEY, ENOKEY) X(EKEYEXPIRED, EKEYEXPIRED) X(EKEYREVOKED, EKEYREVOKED) \
    X(EKEYREJECTED, EKEYREJECTED) \
    X(FS_IOC_GETFLAGS, FS_IOC_GETFLAGS) X(FS_IOC_SETFLAGS, FS_IOC_SETFLAGS) X(FS_IMMUTABLE_FL, FS_IMMUTABLE_FL) \
    X(dirent_d_type, offsetof(struct dirent, d_type)) X(dirent_d_name, offsetof(struct dirent, d_name)) \
    X(DT_UNKNOWN, DT_UNKNOWN) X(DT_DIR, DT_DIR) X(DT_REG, DT_REG) X(DT_LNK, DT_LNK) X(DT_REG_IFMT, DTTOIF(DT_REG))
