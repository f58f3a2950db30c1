using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rekernel.Tests.Versions;

/// <summary>Asks the real rpm and dpkg how they order versions, many pairs per process.</summary>
internal static class RealTools
{
    // Linux refuses a single argument longer than 128 KiB (MAX_ARG_STRLEN).
    private const int MaxArgumentChars = 120_000;

    /// <summary>
    /// The sign of <c>rpm.vercmp(a, b)</c> (rpm's EVR comparison) for every pair: hundreds of pairs per rpm
    /// process, as many processes as the argument length limit needs.
    /// </summary>
    public static int[] RpmVercmp(IReadOnlyList<(string A, string B)> pairs)
    {
        string rpm = Require("rpm", "install the rpm package (apt-get install rpm; `make` installs it in CI)");
        var results = new List<int>(pairs.Count);
        var lua = new StringBuilder();
        int inChunk = 0;
        for (int i = 0; i <= pairs.Count; i++)
        {
            if (i == pairs.Count || lua.Length > MaxArgumentChars / 2)
            {
                if (inChunk > 0) results.AddRange(RpmVercmpChunk(rpm, "%{lua: " + lua + "}", inChunk));
                lua.Clear();
                inChunk = 0;
                if (i == pairs.Count) break;
            }
            var (a, b) = pairs[i];
            lua.Append("print(rpm.vercmp(\"").Append(LuaEscape(a)).Append("\",\"").Append(LuaEscape(b)).Append("\")..\",\") ");
            inChunk++;
        }
        return [.. results];
    }

    private static IEnumerable<int> RpmVercmpChunk(string rpm, string expression, int count)
    {
        Assert.True(expression.Length < MaxArgumentChars, $"one pair is too long for an rpm argument ({expression.Length} chars)");
        // rpm's Lua print() appends to the expansion without a separator, hence the explicit commas.
        string output = Run(rpm, ["--eval", expression], stdin: null);
        string[] answers = output.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.True(answers.Length == count, $"rpm answered {answers.Length} comparisons for {count} pairs: {output}");
        return answers.Select(r => Math.Sign(int.Parse(r, CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Whether <c>dpkg --compare-versions a rel b</c> holds for each triple (rel is lt, eq or gt), from one shell
    /// loop: one dpkg process per pair, as dpkg has no batch mode.
    /// </summary>
    public static bool[] DpkgHolds(IReadOnlyList<(string A, string Relation, string B)> triples)
    {
        string dpkg = Require("dpkg", "install the dpkg package (apt-get install dpkg)");
        // Triples go through stdin, one string a line, so no quoting can go wrong; "--" lets versions start with '-'.
        const string Script = """
            while IFS= read -r a && IFS= read -r rel && IFS= read -r b; do
              "$0" --compare-versions -- "$a" "$rel" "$b" 2>/dev/null
              echo $?
            done
            """;
        var stdin = new StringBuilder();
        foreach (var (a, rel, b) in triples)
        {
            Assert.False(a.Contains('\n') || b.Contains('\n'), "versions must be single lines");
            stdin.Append(a).Append('\n').Append(rel).Append('\n').Append(b).Append('\n');
        }
        string output = Run("/bin/sh", ["-c", Script, dpkg], stdin.ToString());
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == triples.Count, $"dpkg answered {lines.Length} comparisons for {triples.Count} pairs");
        var results = new bool[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.True(lines[i] is "0" or "1",
                $"dpkg refused '{triples[i].A}' {triples[i].Relation} '{triples[i].B}' (exit {lines[i]}): the generator must only make versions dpkg accepts");
            results[i] = lines[i] == "0";
        }
        return results;
    }

    /// <summary>The <c>dpkg --compare-versions</c> relation that holds exactly when the comparison has this sign.</summary>
    public static string DpkgRelation(int sign) => sign switch { < 0 => "lt", 0 => "eq", _ => "gt" };

    private static string Require(string tool, string fix)
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        if (found is null) Assert.Fail($"'{tool}' was not found on PATH: {fix}; the differential tests compare against the real tool.");
        return found;
    }

    private static string Run(string file, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited with {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static string LuaEscape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
