using Rekernel.Processes;

namespace Rekernel.Tests.Fakes;

/// <summary>Programs for tests: only those named are installed, each run is recorded, and <see cref="Act"/> decides what a run does.</summary>
public sealed class FakePrograms(params string[] installed) : IPrograms
{
    public List<string> Runs { get; } = [];

    /// <summary>What a run does and returns; by default it succeeds and does nothing.</summary>
    public Func<string, IReadOnlyList<string>, ProgramRun> Act { get; set; } = (_, _) => new ProgramRun(0, "", "");

    public string? Locate(string program) => installed.Contains(program) ? "/usr/bin/" + program : null;

    public ProgramRun? Run(string path, IReadOnlyList<string> arguments)
    {
        Runs.Add($"{Path.GetFileName(path)} {string.Join(' ', arguments)}");
        return Act(path, arguments);
    }
}
