namespace Rekernel.Processes;

/// <summary>The machine's installed programs, through <see cref="ProgramRunner"/>.</summary>
public sealed class SystemPrograms : IPrograms
{
    public static SystemPrograms Instance { get; } = new();

    public string? Locate(string program) => ProgramRunner.Locate(program);

    public ProgramRun? Run(string path, IReadOnlyList<string> arguments) => ProgramRunner.Run(path, arguments);
}
