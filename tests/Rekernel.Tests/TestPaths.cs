namespace Rekernel.Tests;

internal static class TestPaths
{
    public static string Repo { get; } = FindRepo();

    public static string Fixtures => Path.Combine(Repo, "tests", "fixtures");

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "rekernel.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("rekernel.slnx not found above " + AppContext.BaseDirectory);
    }
}
