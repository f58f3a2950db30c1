using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Fleet;
using Rekernel.Fleet.Agent;
using Rekernel.Fleet.Simulation;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel agent</c>: the fleet agent (rekernel-agent.service), switching this host when its group gives it a slot.</summary>
public static class AgentCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<string?> group = new("--group") { Description = "The host's group (default: group in rekernel.conf's [fleet]).", HelpName = "G" };
        Option<string?> host = new("--host-id") { Description = "This host's id in the group (default: /etc/machine-id).", HelpName = "ID" };
        // Test only (the process tests run one agent per simulated host): the machine is a SimulatedHost kept in FILE, not this one.
        Option<string?> simulated = new("--simulated-machine") { Hidden = true };
        var command = new Command("agent", "Run the fleet agent: switch this host when its etcd group gives it a slot, halting the group on failure.") { group, host, simulated };
        var fleet = new FleetOptions().AddTo(command);
        command.SetAction(parsed =>
        {
            RekernelConfig config = null!;
            FleetKeys keys = null!;
            AgentSettings settings = null!;
            return FleetOptions.Guarded(console, () =>
            {
                config = services.Config();
                keys = FleetOptions.Group(parsed.GetValue(group), config.Fleet);
                settings = new AgentSettings
                {
                    HostId = FleetOptions.HostId(parsed.GetValue(host), config.Fleet, services),
                    Window = config.MaintenanceWindow,
                    TimeZone = services.TimeZone,
                    PreSwitch = config.Fleet.PreSwitch,
                    PostSwitch = config.Fleet.PostSwitch,
                    CommandTimeout = TimeSpan.FromSeconds(config.Fleet.CommandTimeoutSeconds),
                    PollInterval = TimeSpan.FromSeconds(config.Fleet.PollIntervalSeconds),
                };
                return fleet.Etcd(parsed, config.Fleet);
            }, async etcd =>
            {
                using var stop = new CancellationTokenSource();
                using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
                console.Out.WriteLine($"rekernel agent: host {settings.HostId} in group {keys.Group}");
                IHostBackend machine = parsed.GetValue(simulated) is { } file
                    ? await SimulatedBootAsync(file, services.Clock, stop.Token).ConfigureAwait(false)
                    // Its log says what it staged, as `rekernel upgrade` does: the command line a switch left on.
                    : new MachineBackend(services, ConsoleEvents.For(console) with { Staged = plan => PlanRenderer.WriteStaged(console, plan) }, new BootRoot("/"));
                var agent = new FleetAgent(new FleetStore(etcd, keys), machine, settings, services.Clock, line => console.Out.WriteLine(line));
                await agent.RunAsync(stop.Token).ConfigureAwait(false);
                return (int)ExitCode.Success;
            });
        });
        return command;
    }

    /// <summary>The simulated machine in <paramref name="file"/> once it is up: an agent runs only on a booted machine.</summary>
    private static async Task<SimulatedHost> SimulatedBootAsync(string file, TimeProvider clock, CancellationToken cancel)
    {
        SimulatedHost machine = SimulatedHost.Open(file, clock);
        if (machine.DownFor > TimeSpan.Zero) await Task.Delay(machine.DownFor, clock, cancel).ConfigureAwait(false);
        return machine;
    }
}
