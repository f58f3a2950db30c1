namespace Rekernel.Processes;

/// <summary>The programs rekernel may hand work to (grub-editenv, bootctl); a seam so tests decide which exist and what they do.</summary>
public interface IPrograms
{
    /// <summary>The executable for <paramref name="program"/>, or null when it is not installed.</summary>
    string? Locate(string program);

    /// <summary>Runs <paramref name="path"/> to completion; null when it cannot be started.</summary>
    ProgramRun? Run(string path, IReadOnlyList<string> arguments);
}
