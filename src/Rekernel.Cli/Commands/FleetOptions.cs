using System.CommandLine;
using Rekernel.Config;
using Rekernel.Fleet;
using Rekernel.Fleet.Etcd;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary>The etcd options every <c>fleet</c> command and the agent take; unset ones come from rekernel.conf's <c>[fleet]</c>.</summary>
public sealed class FleetOptions
{
    private readonly Option<string?> _etcd = new("--etcd") { Description = "etcd client URLs, comma-separated, tried in turn (default: endpoints in rekernel.conf's [fleet]).", HelpName = "URL[,URL...]" };
    private readonly Option<string?> _ca = new("--etcd-ca") { Description = "PEM file of the CA that signed etcd's certificate.", HelpName = "FILE" };
    private readonly Option<string?> _cert = new("--etcd-cert") { Description = "PEM client certificate for etcd.", HelpName = "FILE" };
    private readonly Option<string?> _key = new("--etcd-key") { Description = "PEM key of the client certificate.", HelpName = "FILE" };
    private readonly Option<string?> _user = new("--etcd-user") { Description = "etcd user (etcd authentication).", HelpName = "USER" };
    private readonly Option<string?> _password = new("--etcd-password-file") { Description = "File whose first line is the etcd user's password.", HelpName = "FILE" };

    public FleetOptions AddTo(Command command)
    {
        foreach (Option o in (Option[])[_etcd, _ca, _cert, _key, _user, _password]) command.Options.Add(o);
        return this;
    }

    public EtcdOptions Etcd(ParseResult parsed, FleetConfig config)
    {
        string endpoints = parsed.GetValue(_etcd) ?? config.Endpoints
            ?? ThrowUsage<string>("no etcd endpoint is configured; give --etcd http://HOST:2379 or set endpoints in rekernel.conf's [fleet].");
        string? passwordFile = parsed.GetValue(_password) ?? config.PasswordFile;
        return new EtcdOptions
        {
            Endpoints = EtcdOptions.ParseEndpoints(endpoints, parsed.GetValue(_etcd) is null ? "endpoints in rekernel.conf" : "--etcd"),
            CaFile = parsed.GetValue(_ca) ?? config.Ca,
            CertFile = parsed.GetValue(_cert) ?? config.Cert,
            KeyFile = parsed.GetValue(_key) ?? config.Key,
            User = parsed.GetValue(_user) ?? config.User,
            Password = passwordFile is null ? null : Password(passwordFile),
        };
    }

    /// <summary>The group named on the command line, else the config's; none is a usage error.</summary>
    public static FleetKeys Group(string? given, FleetConfig config) =>
        new(given ?? config.Group ?? ThrowUsage<string>("no group is given; pass --group G or set group in rekernel.conf's [fleet]."));

    /// <summary>The host id given, else the config's, else the machine id of <paramref name="services"/>' machine.</summary>
    public static string HostId(string? given, FleetConfig config, MachineServices services)
    {
        if ((given ?? config.HostId) is { } id) return FleetKeys.CheckHost(id);
        string path = Path.Join(services.MachineDirectory, "etc", "machine-id");
        try
        {
            return FleetKeys.CheckHost(File.ReadAllText(path).Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ThrowUsage<string>($"cannot read the machine id from {path} ({ex.Message.TrimEnd('.')}); give --host-id or host_id in rekernel.conf's [fleet].");
        }
    }

    /// <summary>Runs a fleet command body with an etcd client, turning errors into one sentence and an exit code.</summary>
    public static int Guarded(CliConsole console, Func<EtcdOptions> options, Func<EtcdClient, Task<int>> body) =>
        CliApp.Guarded(console, () =>
        {
            using var client = new EtcdClient(options());
            return body(client).GetAwaiter().GetResult();
        });

    private static string Password(string file)
    {
        try
        {
            return File.ReadLines(file).FirstOrDefault() ?? "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ThrowUsage<string>($"cannot read the etcd password from {file} ({ex.Message.TrimEnd('.')}); fix --etcd-password-file or password_file in rekernel.conf.");
        }
    }

    private static T ThrowUsage<T>(string message) => throw new RekernelException(ExitCode.Usage, message);
}
