using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rekernel.Cli.Rendering;
using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using Rekernel.Fleet.Simulation;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel fleet</c>: look at and steer a group's rollout in etcd, or rehearse one with simulated hosts.</summary>
public static class FleetCommand
{
    public static Command Create(CliConsole console, MachineServices services) =>
        new("fleet", "Show and steer fleet rollouts in etcd: status, init, halt, resume, unlock, forget, simulate.")
        {
            Status(console, services), Init(console, services), Halt(console, services), Resume(console, services),
            Unlock(console, services), Forget(console, services), Simulate(console, services),
        };

    private static Option<string?> GroupOption() => new("--group") { Description = "The group (default: group in rekernel.conf's [fleet]).", HelpName = "G" };

    private static Argument<string> GroupArgument() => new("GROUP") { Description = "The group's name." };

    /// <summary>A subcommand over one group's store: <paramref name="body"/> gets the parse result and the store.</summary>
    private static Command Over(CliConsole console, MachineServices services, Command command, Func<ParseResult, string?> group, Func<ParseResult, FleetStore, Task<int>> body)
    {
        var fleet = new FleetOptions().AddTo(command);
        command.SetAction(parsed =>
        {
            FleetKeys keys = null!;
            return FleetOptions.Guarded(console, () =>
            {
                var config = services.Config().Fleet;
                keys = FleetOptions.Group(group(parsed), config);
                return fleet.Etcd(parsed, config);
            }, etcd => body(parsed, new FleetStore(etcd, keys)));
        });
        return command;
    }

    private static Command Status(CliConsole console, MachineServices services)
    {
        var group = GroupOption();
        var json = CommonOptions.Json();
        Option<bool> watch = new("--watch") { Description = "Keep showing the group, redrawn on every change, until Ctrl-C (one line per change when not on a terminal)." };
        return Over(console, services, new Command("status", "Show a group's hosts, slots, halt and progress; halts the group when a slot holder is overdue.") { group, json, watch },
            p => p.GetValue(group), async (parsed, store) =>
            {
                if (!parsed.GetValue(watch))
                {
                    (GroupSnapshot snapshot, var hosts, var online) = await ReadStatusAsync(store, services.Clock).ConfigureAwait(false);
                    if (parsed.GetValue(json)) WriteStatusJson(console, store.Keys.Group, snapshot, hosts, online);
                    else WriteStatus(console, store.Keys.Group, snapshot, hosts, online, services.Clock.GetUtcNow());
                    return (int)ExitCode.Success;
                }
                if (parsed.GetValue(json)) ThrowHelper.Usage("--watch and --json do not go together; use fleet status --json in a loop, or --watch alone.");
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler interrupted = (_, e) => { e.Cancel = true; stop.Cancel(); };
                Console.CancelKeyPress += interrupted;
                try
                {
                    await WatchStatusAsync(console, store, services.Clock, stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    Console.CancelKeyPress -= interrupted;
                }
                return (int)ExitCode.Success;
            });
    }

    /// <summary>The group, its hosts and who is online; a holder past the switch timeout halts the group first (any reader may).</summary>
    private static async Task<(GroupSnapshot, IReadOnlyList<HostRecord>, IReadOnlySet<string>)> ReadStatusAsync(FleetStore store, TimeProvider clock)
    {
        GroupSnapshot snapshot = await store.ReadAsync().ConfigureAwait(false);
        if (snapshot.Config is null) ThrowHelper.NotFound($"group {store.Keys.Group} is not set up; run `rekernel fleet init {store.Keys.Group} --max-concurrent N`.");
        DateTimeOffset now = clock.GetUtcNow();
        if (snapshot.Halt is null && snapshot.Overdue(now).FirstOrDefault() is { } late)
        {
            await store.HaltAsync(new HaltRecord(IFleetRecord.CurrentFormat,
                $"{late.Host} has held its slot since {late.Since:u} without reporting back (switch timeout {snapshot.Config.SwitchTimeoutSeconds} s)", late.Host, late.Kernel, now)).ConfigureAwait(false);
            snapshot = await store.ReadAsync().ConfigureAwait(false);
        }
        var (hosts, online) = await store.HostsAsync().ConfigureAwait(false);
        return (snapshot, hosts, online);
    }

    /// <summary>
    /// <c>fleet status --watch</c>: draws the group, then watches all of its keys (one watch stream) and draws it
    /// again after every change, until <paramref name="cancel"/> fires. On a terminal the screen is redrawn; otherwise
    /// each change prints one progress line, for logs. A lost etcd is retried every second.
    /// </summary>
    internal static async Task WatchStatusAsync(CliConsole console, FleetStore store, TimeProvider clock, CancellationToken cancel)
    {
        string? last = null;
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                (GroupSnapshot snapshot, var hosts, var online) = await ReadStatusAsync(store, clock).ConfigureAwait(false);
                last = Draw(console, store.Keys.Group, snapshot, hosts, online, clock.GetUtcNow(), last);
                await foreach (Fleet.Etcd.EtcdWire.WatchResult change in store.ChangesAsync(snapshot.Revision + 1, cancel).ConfigureAwait(false))
                    if (change.Events is { Length: > 0 } || change.Canceled || change.CompactRevision > 0) break;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Fleet.Etcd.EtcdUnavailableException ex)
            {
                console.Error.WriteLine($"rekernel: {ex.Message}");
                try { await Task.Delay(TimeSpan.FromSeconds(1), clock, cancel).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Draws one state of the group; returns the plain line, which is printed only when it changed (<paramref name="last"/>).</summary>
    private static string Draw(CliConsole console, string group, GroupSnapshot s, IReadOnlyList<HostRecord> hosts, IReadOnlySet<string> online, DateTimeOffset now, string? last)
    {
        if (console.OutputIsTerminal)
        {
            console.Out.Write("\e[H\e[2J");
            WriteStatus(console, group, s, hosts, online, now);
            console.Out.WriteLine("(watching etcd for changes; Ctrl-C to stop)");
            return "";
        }
        int onTarget = hosts.Count(h => h.Target is null || h.Running == h.Target);
        string line = $"{onTarget}/{hosts.Count} hosts on target, {s.Semaphore.Holders.Length} slots held"
            + (s.Semaphore.Holders.Length == 0 ? "" : $" ({string.Join(", ", s.Semaphore.Holders.Select(h => h.Host))})")
            + $", {hosts.Count(h => h.State == HostState.Failed)} failed, " + (s.Halt is { } halt ? $"halted: {halt.Reason}" : "not halted");
        if (line != last) console.Out.WriteLine($"{now:u} {line}");
        return line;
    }

    private static void WriteStatus(CliConsole console, string group, GroupSnapshot s, IReadOnlyList<HostRecord> hosts, IReadOnlySet<string> online, DateTimeOffset now)
    {
        var o = console.Out;
        int onTarget = hosts.Count(h => h.Target is null || h.Running == h.Target);
        o.WriteLine($"Group {group}: max_concurrent {s.Config!.MaxConcurrent}, slices {(s.Config.Slices.Length == 0 ? "none" : string.Join(", ", s.Config.Slices))}, switch timeout {s.Config.SwitchTimeoutSeconds} s");
        o.WriteLine(s.Halt is { } halt ? $"Halted:  {halt.Reason} (at {halt.At:u})" : "Halted:  no");
        o.WriteLine($"Slots:   {s.Semaphore.Holders.Length} held{string.Concat(s.Semaphore.Holders.Select(h => $"; {h.Host} for {h.Kernel} since {h.Since:u} ({(now - h.Since).TotalMinutes:0} min)"))}");
        const int width = 30;
        int filled = hosts.Count == 0 ? 0 : onTarget * width / hosts.Count;
        o.WriteLine($"Progress: [{new string('#', filled)}{new string('.', width - filled)}] {onTarget}/{hosts.Count} hosts on target");
        if (hosts.Count == 0) return;
        o.WriteLine("HOST              ONLINE  STATE      RUNNING               TARGET                UPDATED");
        foreach (HostRecord h in hosts)
            o.WriteLine($"{h.Host,-17} {(online.Contains(h.Host) ? "yes" : "no"),-7} {Fleet.Agent.FleetAgent.Name(h.State),-10} {h.Running,-21} {h.Target ?? "-",-21} {h.UpdatedAt:u}{(h.Detail is { } d ? $"  ({d})" : "")}");
    }

    private static void WriteStatusJson(CliConsole console, string group, GroupSnapshot s, IReadOnlyList<HostRecord> hosts, IReadOnlySet<string> online) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteString("group", group);
            w.WritePropertyName("config");
            JsonSerializer.Serialize(w, s.Config!, FleetRecords.Json.GroupConfig);
            w.WritePropertyName("halt");
            if (s.Halt is null) w.WriteNullValue(); else JsonSerializer.Serialize(w, s.Halt, FleetRecords.Json.HaltRecord);
            w.WritePropertyName("semaphore");
            JsonSerializer.Serialize(w, s.Semaphore, FleetRecords.Json.Semaphore);
            w.WriteStartArray("hosts");
            foreach (HostRecord h in hosts)
            {
                w.WriteStartObject();
                w.WriteBoolean("online", online.Contains(h.Host));
                w.WritePropertyName("record");
                JsonSerializer.Serialize(w, h, FleetRecords.Json.HostRecord);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static Command Init(CliConsole console, MachineServices services)
    {
        var group = GroupArgument();
        Option<int> max = new("--max-concurrent") { Description = "Most hosts switching at once.", HelpName = "N", Required = true };
        Option<string?> slices = new("--slices") { Description = "Canary stages before max_concurrent applies, e.g. 1,10%,25%.", HelpName = "LIST" };
        Option<int> timeout = new("--switch-timeout") { Description = "Seconds after which a slot holder that has not reported back halts the group (default 1800).", HelpName = "SECONDS", DefaultValueFactory = _ => GroupConfig.DefaultSwitchTimeoutSeconds };
        return Over(console, services, new Command("init", "Create or change a group's policy; starts a new rollout (the canary slices count again).") { group, max, slices, timeout },
            p => p.GetValue(group), async (parsed, store) =>
            {
                if (parsed.GetValue(max) < 1) ThrowHelper.Usage("--max-concurrent must be at least 1.");
                if (parsed.GetValue(timeout) < 1) ThrowHelper.Usage("--switch-timeout must be at least 1 second.");
                var config = new GroupConfig(IFleetRecord.CurrentFormat, parsed.GetValue(max), parsed.GetValue(slices) is { } s ? Slices.Parse(s) : [], parsed.GetValue(timeout));
                await store.InitAsync(config).ConfigureAwait(false);
                console.Out.WriteLine($"group {store.Keys.Group}: max_concurrent {config.MaxConcurrent}, slices {(config.Slices.Length == 0 ? "none" : string.Join(", ", config.Slices))}, switch timeout {config.SwitchTimeoutSeconds} s.");
                return (int)ExitCode.Success;
            });
    }

    private static Command Halt(CliConsole console, MachineServices services)
    {
        var group = GroupArgument();
        Option<string> reason = new("--reason") { Description = "Why, shown by fleet status.", HelpName = "TEXT", Required = true };
        return Over(console, services, new Command("halt", "Stop a group's rollout: no host takes a slot until fleet resume.") { group, reason },
            p => p.GetValue(group), async (parsed, store) =>
            {
                bool halted = await store.HaltAsync(new HaltRecord(IFleetRecord.CurrentFormat, parsed.GetValue(reason)!, null, null, services.Clock.GetUtcNow())).ConfigureAwait(false);
                console.Out.WriteLine(halted ? $"group {store.Keys.Group} halted." : $"group {store.Keys.Group} was already halted; its first reason stays (see fleet status).");
                return (int)ExitCode.Success;
            });
    }

    private static Command Resume(CliConsole console, MachineServices services)
    {
        var group = GroupArgument();
        return Over(console, services, new Command("resume", "Lift a group's halt; hosts that still hold a slot keep it (fleet unlock frees one).") { group },
            p => p.GetValue(group), async (_, store) =>
            {
                bool resumed = await store.ResumeAsync().ConfigureAwait(false);
                console.Out.WriteLine(resumed ? $"group {store.Keys.Group} resumed." : $"group {store.Keys.Group} was not halted.");
                return (int)ExitCode.Success;
            });
    }

    private static Command Unlock(CliConsole console, MachineServices services)
    {
        var host = new Argument<string>("HOST") { Description = "The host id." };
        var group = GroupOption();
        return Over(console, services, new Command("unlock", "Free a host's slot after fixing it (the only way a failed or overdue host's slot is freed).") { host, group },
            p => p.GetValue(group), async (parsed, store) =>
            {
                string id = FleetKeys.CheckHost(parsed.GetValue(host)!);
                if (!await store.ReleaseAsync(id, completed: false, null).ConfigureAwait(false))
                    ThrowHelper.NotFound($"{id} holds no slot in group {store.Keys.Group}; see `rekernel fleet status --group {store.Keys.Group}`.");
                console.Out.WriteLine($"freed {id}'s slot in group {store.Keys.Group}.");
                return (int)ExitCode.Success;
            });
    }

    private static Command Forget(CliConsole console, MachineServices services)
    {
        var host = new Argument<string>("HOST") { Description = "The host id." };
        var group = GroupOption();
        return Over(console, services, new Command("forget", "Remove a host's record from its group (a host that left the fleet).") { host, group },
            p => p.GetValue(group), async (parsed, store) =>
            {
                string id = FleetKeys.CheckHost(parsed.GetValue(host)!);
                if ((await store.ReadAsync().ConfigureAwait(false)).Semaphore.Holds(id))
                    ThrowHelper.Refuse($"{id} still holds a slot in group {store.Keys.Group}; free it first with `rekernel fleet unlock {id} --group {store.Keys.Group}`.");
                if (!await store.ForgetAsync(id).ConfigureAwait(false))
                    ThrowHelper.NotFound($"group {store.Keys.Group} has no host {id}; see `rekernel fleet status --group {store.Keys.Group}`.");
                console.Out.WriteLine($"forgot {id} in group {store.Keys.Group}.");
                return (int)ExitCode.Success;
            });
    }

    private static Command Simulate(CliConsole console, MachineServices services)
    {
        Option<string> group = new("--group") { Description = "A group to use for the simulation; its keys are replaced.", HelpName = "G", Required = true };
        Option<int> hosts = new("--hosts") { Description = "Simulated hosts.", HelpName = "N", Required = true };
        Option<int> max = new("--max-concurrent") { Description = "Most hosts switching at once.", HelpName = "C", Required = true };
        Option<double> seconds = new("--switch-seconds") { Description = "How long a simulated switch takes.", HelpName = "S", Required = true };
        Option<int> bad = new("--bad-hosts") { Description = "Hosts whose new kernel is bad (they come back on the old one).", HelpName = "K" };
        Option<string?> slices = new("--slices") { Description = "Canary stages, as for fleet init.", HelpName = "LIST" };
        Option<double?> poll = new("--poll-seconds") { Description = "How often each simulated agent looks at etcd (default: a fifth of the switch time).", HelpName = "S" };
        var json = CommonOptions.Json();
        return Over(console, services, new Command("simulate", "Rehearse a rollout against a real etcd with simulated hosts running the real agent.") { group, hosts, max, seconds, bad, slices, poll, json },
            p => p.GetValue(group), async (parsed, store) =>
            {
                int n = parsed.GetValue(hosts), c = parsed.GetValue(max), k = parsed.GetValue(bad);
                double s = parsed.GetValue(seconds);
                if (n < 1 || c < 1 || s < 0 || k < 0 || k > n) ThrowHelper.Usage("--hosts and --max-concurrent must be at least 1, --switch-seconds at least 0, and --bad-hosts between 0 and --hosts.");
                var config = new GroupConfig(IFleetRecord.CurrentFormat, c, parsed.GetValue(slices) is { } text ? Slices.Parse(text) : [], GroupConfig.DefaultSwitchTimeoutSeconds);
                TimeSpan interval = TimeSpan.FromSeconds(parsed.GetValue(poll) ?? Math.Max(0.05, s / 5));
                SimulationResult r = await new FleetSimulation(store.Etcd, store.Keys, services.Clock).RunAsync(n, config, TimeSpan.FromSeconds(s), k, interval).ConfigureAwait(false);
                if (parsed.GetValue(json)) WriteSimulationJson(console, r);
                else console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.OnTarget}/{r.Hosts} hosts on target in {r.RolloutSeconds:0.0} s; at most {r.MaxSlotsHeld} slots held (etcd history); {r.RequestsPerHost:0.0} etcd requests per host; {(r.Halted ? $"halted: {r.HaltReason}; {r.BadHostsSwitched} bad hosts switched" : "not halted")}."));
                return r.Halted ? (int)ExitCode.FleetHalted : (int)ExitCode.Success;
            });
    }

    private static void WriteSimulationJson(CliConsole console, SimulationResult r) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("hosts", r.Hosts);
            w.WriteNumber("onTarget", r.OnTarget);
            w.WriteNumber("maxSlotsHeld", r.MaxSlotsHeld);
            w.WriteNumber("rolloutSeconds", r.RolloutSeconds);
            w.WriteNumber("requestsPerHost", r.RequestsPerHost);
            w.WriteBoolean("halted", r.Halted);
            w.WriteString("haltReason", r.HaltReason);
            w.WriteNumber("badHostsSwitched", r.BadHostsSwitched);
            w.WriteEndObject();
        });
}
