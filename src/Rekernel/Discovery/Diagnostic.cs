namespace Rekernel.Discovery;

/// <summary>A problem found while reading boot configuration; the entry concerned is skipped, the scan goes on.</summary>
/// <param name="File">Path inside the root.</param>
/// <param name="Line">1-based line, or 0 when the problem concerns the whole file.</param>
public readonly record struct Diagnostic(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
