namespace Rekernel.Images;

/// <summary>
/// What <see cref="Arm64ImageHeader.Parse"/> found. <see cref="Header"/> is set whenever the file is an arm64 kernel
/// Image; <see cref="Problem"/> is set when it is not one, or when <c>kexec_file_load</c> would refuse it.
/// </summary>
public readonly record struct Arm64ImageParseResult(Arm64ImageHeader? Header, string? Problem)
{
    /// <summary>An arm64 kernel Image that <c>kexec_file_load</c> accepts.</summary>
    public bool IsValid => Header is not null && Problem is null;

    internal static Arm64ImageParseResult Fail(string problem) => new(null, problem);
}
