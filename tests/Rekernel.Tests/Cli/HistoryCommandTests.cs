using System.Text.Json;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

public sealed class HistoryCommandTests : IDisposable
{
    private readonly SwitchSandbox _box = new();

    public void Dispose() => _box.Dispose();

    /// <summary>Two switches: a verified graceful one to -50, then a pending --now one to -53.</summary>
    private void TwoSwitches()
    {
        _box.Stage("6.1.0-50-cloud-amd64");
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot("6.1.0-50-cloud-amd64", "44444444-dddd-4ddd-8ddd-444444444444", uptimeSeconds: 50, KexecCmdline);
        _box.Clock.Now = T0.AddMinutes(1);
        Assert.Equal(0, _box.Run("verify").Exit);
        _box.Clock.Now = T0.AddDays(1);
        _box.Stage(NewKernel);
        Assert.Equal(0, _box.Run("switch --now --yes").Exit);
    }

    [Fact]
    public void Json_ListsSwitchesNewestFirst_WithEveryField()
    {
        TwoSwitches();

        SwitchRun run = _box.Run("history --json");

        Assert.Equal(0, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Out);
        JsonElement[] switches = [.. doc.RootElement.GetProperty("switches").EnumerateArray()];
        Assert.Equal(2, switches.Length);
        Assert.Equal(
            ["from", "to", "entryId", "kernel", "cmdline", "token", "requestedAt", "scheduledFor", "mode", "outcome", "verifiedAt", "downtimeSeconds", "bootId", "returnPath", "detail"],
            switches[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(NewKernel, switches[0].GetProperty("to").GetString());
        Assert.Equal("now", switches[0].GetProperty("mode").GetString());
        Assert.Equal("pending", switches[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, switches[0].GetProperty("downtimeSeconds").ValueKind);
        Assert.Equal("6.1.0-50-cloud-amd64", switches[1].GetProperty("to").GetString());
        Assert.Equal("graceful", switches[1].GetProperty("mode").GetString());
        Assert.Equal("success", switches[1].GetProperty("outcome").GetString());
        Assert.Equal(10, switches[1].GetProperty("downtimeSeconds").GetDouble());
        Assert.Equal("2025-06-01T10:00:00+00:00", switches[1].GetProperty("requestedAt").GetString());
    }

    [Fact]
    public void Table_ShowsOutcomeAndDowntime()
    {
        TwoSwitches();

        SwitchRun run = _box.Run("history");

        Assert.Equal(
            """
            REQUESTED         FROM                  TO                    MODE      OUTCOME  DOWNTIME
            2025-06-02 10:00  6.1.0-50-cloud-amd64  6.1.0-53-cloud-amd64  now       pending  -
            2025-06-01 10:00  6.1.0-47-cloud-amd64  6.1.0-50-cloud-amd64  graceful  success  10.0 s

            """.ReplaceLineEndings("\n"),
            run.Out);
    }

    [Fact]
    public void NoSwitchesYet_SaysWhereItLooked()
    {
        SwitchRun run = _box.Run("history");

        Assert.Equal(0, run.Exit);
        Assert.Equal($"No switches recorded in {_box.StateDirectory}/journal.json.\n", run.Out);
    }

    [Fact]
    public void CorruptJournal_IsOneLineAndExitCode7()
    {
        Directory.CreateDirectory(_box.StateDirectory);
        File.WriteAllText(Path.Join(_box.StateDirectory, "journal.json"), "{\"switches\": [");

        SwitchRun run = _box.Run("history");

        Assert.Equal((int)ExitCode.ConfigError, run.Exit);
        Assert.StartsWith($"rekernel: {_box.StateDirectory}/journal.json is corrupt: it is not valid JSON at line 1", run.Err);
        Assert.Single(run.Err.TrimEnd('\n').Split('\n'));
    }
}
