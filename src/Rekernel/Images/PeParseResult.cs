namespace Rekernel.Images;

/// <summary>What <see cref="PeFile.Read"/> found: the section table, or why the file is not a usable PE image.</summary>
public readonly record struct PeParseResult(PeSections? Sections, string? Problem)
{
    public bool IsValid => Sections is not null;

    internal static PeParseResult Fail(string problem) => new(null, problem);
}
