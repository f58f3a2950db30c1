using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rekernel.Fleet;
using Rekernel.Fleet.Simulation;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// One host of a process test: <c>rekernel agent --simulated-machine</c> run as its own process (the CLI built
/// beside the tests, through <c>dotnet exec</c>), with its own rekernel.conf, state and run directories in a
/// temporary directory, and its machine in a file there that outlives the process. Stopped by its PID.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    public const string From = "6.1.0-47-amd64";
    public const string To = "6.1.0-53-amd64";
    private readonly string _dir = Directory.CreateTempSubdirectory("rekernel-agent-").FullName;
    private readonly string[] _arguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="config">Lines for rekernel.conf's [fleet] beside poll_interval = 1.</param>
    public AgentProcess(Uri etcd, string group, string host, bool bad = false, double switchSeconds = 1, params string[] config)
    {
        MachineFile = Path.Join(_dir, "machine.json");
        File.WriteAllText(MachineFile, $$"""{"from":"{{From}}","to":"{{To}}","bad":{{(bad ? "true" : "false")}},"switchSeconds":{{switchSeconds}}}""");
        File.WriteAllText(ConfigFile, string.Join('\n', ["[fleet]", "poll_interval = 1", .. config]) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _arguments = ["agent", "--simulated-machine", MachineFile, "--group", group, "--host-id", host, "--etcd", etcd.ToString()];
    }

    public string Home => _dir;
    public string MachineFile { get; }
    private string ConfigFile => Path.Join(_dir, "rekernel.conf");

    /// <summary>The machine as the agent left it in its file.</summary>
    public SimulatedMachine Machine => JsonSerializer.Deserialize(File.ReadAllBytes(MachineFile), FleetRecords.Json.SimulatedMachine)!;

    /// <summary>Everything the agent processes of this host printed so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool Exited => _process is { HasExited: true };

    public int ExitCode => _process!.ExitCode;

    public AgentProcess Start()
    {
        string bin = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["exec", "--runtimeconfig", Path.Join(bin, "Rekernel.Tests.runtimeconfig.json"), "--depsfile", Path.Join(bin, "Rekernel.Tests.deps.json"), Path.Join(bin, "Rekernel.Cli.dll"), .. _arguments])
            start.ArgumentList.Add(a);
        start.Environment["REKERNEL_CONFIG"] = ConfigFile;
        start.Environment["REKERNEL_STATE_DIR"] = Path.Join(_dir, "state");
        start.Environment["REKERNEL_RUN_DIR"] = Path.Join(_dir, "run");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return this;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no handler runs.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void WaitForExit(TimeSpan timeout)
    {
        if (!_process!.WaitForExit(timeout)) throw new TimeoutException($"the agent did not exit within {timeout.TotalSeconds} s:\n{Output}");
        _process.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        Kill();
        Directory.Delete(_dir, recursive: true);
    }
}
