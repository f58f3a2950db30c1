namespace Rekernel.Kexec;

/// <summary>Linux errno values (the same on x86_64 and aarch64) that the kexec calls report.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ENOEXEC = 8;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSYS = 38;
    public const int ENODATA = 61;
    public const int EBADMSG = 74;
    public const int EMSGSIZE = 90;
    public const int ENOKEY = 126;
    public const int EKEYEXPIRED = 127;
    public const int EKEYREVOKED = 128;
    public const int EKEYREJECTED = 129;

    /// <summary>The symbolic name of an errno, or <c>errno N</c>.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        ENOEXEC => "ENOEXEC",
        EBADF => "EBADF",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        EINVAL => "EINVAL",
        EFBIG => "EFBIG",
        ENOSYS => "ENOSYS",
        ENODATA => "ENODATA",
        EBADMSG => "EBADMSG",
        EMSGSIZE => "EMSGSIZE",
        ENOKEY => "ENOKEY",
        EKEYEXPIRED => "EKEYEXPIRED",
        EKEYREVOKED => "EKEYREVOKED",
        EKEYREJECTED => "EKEYREJECTED",
        _ => $"errno {errno}",
    };
}
