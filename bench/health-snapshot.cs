#:project ../src/Rekernel/Rekernel.csproj
#:property PublishAot=false
// The cost of the health snapshot rekernel takes when it stages a kernel (just before the jump for `upgrade`):
// the /sys walk (bound drivers, interfaces up, crash kernel) and `systemctl list-units --failed`, measured on
// this host's real /sys, which is only read. Run: dotnet run -c Release bench/health-snapshot.cs [MACHINE_DIR] [ROUNDS]
using System.Diagnostics;
using Rekernel.Health;
using Rekernel.Machine;

string machineDir = args.Length > 0 ? args[0] : RunningSystem.LiveMachine;
int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
var machine = new RunningSystem(machineDir);

static double Ms(Stopwatch w) => w.Elapsed.TotalMilliseconds;
double[] Times(Func<object?> step)
{
    var times = new double[rounds];
    for (int i = 0; i < rounds; i++)
    {
        var w = Stopwatch.StartNew();
        _ = step();
        times[i] = Ms(w);
    }
    Array.Sort(times);
    return times;
}

var first = Stopwatch.StartNew();
HealthSnapshot snapshot = HealthProbe.Take(machine, "bench", DateTimeOffset.UtcNow, FailedUnits.List);
double cold = Ms(first);
double[] sys = Times(() => HealthProbe.Take(machine, "bench", DateTimeOffset.UtcNow, () => null));
// CPU time is what a loaded host does not inflate: the /sys walk's own cost, without waiting for a core.
TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
for (int i = 0; i < rounds; i++) HealthProbe.Take(machine, "bench", DateTimeOffset.UtcNow, () => null);
double sysCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
double[] units = Times(() => FailedUnits.List());
double[] all = Times(() => HealthProbe.Take(machine, "bench", DateTimeOffset.UtcNow, FailedUnits.List));
Console.WriteLine($"{machineDir}: {snapshot.Devices.Count} bound devices, {snapshot.InterfacesUp.Count} interfaces up, "
    + $"crash kernel {(snapshot.CrashKernelLoaded ? "loaded" : "not loaded")}, failed units {(snapshot.FailedUnits is { } f ? f.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown (no systemd)")}");
Console.WriteLine($"first snapshot in the process (JIT included): {cold:0.00} ms");
Console.WriteLine($"/sys walk CPU time (user + system) {sysCpu:0.00} ms per snapshot");
foreach ((string name, double[] t) in new[] { ("/sys walk only", sys), ("systemctl list-units --failed", units), ("whole snapshot", all) })
    Console.WriteLine($"{name,-32} median {t[t.Length / 2]:0.00} ms, max {t[^1]:0.00} ms ({rounds} rounds)");
