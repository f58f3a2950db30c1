namespace Rekernel.Images;

/// <summary>
/// What <see cref="BzImageHeader.Parse"/> found. <see cref="Header"/> is set whenever the file is a Linux x86 kernel;
/// <see cref="Problem"/> is set when it is not one, or when <c>kexec_file_load</c> would refuse it (a 32-bit or
/// too-old kernel still has a header and a version).
/// </summary>
public readonly record struct BzImageParseResult(BzImageHeader? Header, string? Problem)
{
    /// <summary>A Linux kernel that <c>kexec_file_load</c> accepts.</summary>
    public bool IsValid => Header is not null && Problem is null;

    internal static BzImageParseResult Fail(string problem) => new(null, problem);
}
