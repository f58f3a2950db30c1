using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Rekernel.Health;
using Rekernel.IO;
using Rekernel.Native;

namespace Rekernel.Config;

/// <summary>
/// Reads rekernel.conf: <c>key = value</c> lines, blank lines, and comment lines starting with <c>#</c> or <c>;</c>;
/// a <c>[fleet]</c> line starts the fleet section (<see cref="FleetConfig"/>). <c>append</c>, <c>remove</c>,
/// <c>health_command</c>, <c>pre_switch</c> and <c>post_switch</c> repeat; every other key may appear once. Unlike boot configuration (which is
/// someone else's file, read leniently), this file is the admin's instruction to rekernel, so any mistake stops the
/// command with the file and line rather than being guessed around.
/// </summary>
public static class ConfigFile
{
    /// <summary>The largest config file read: a few settings take a few hundred bytes.</summary>
    public const int MaxBytes = 1 << 20;

    public static readonly ImmutableArray<string> Keys = ["target", "append", "remove", "panic_timeout", "switch", "maintenance_window", "auto_stage",
        "health_command", "health_command_timeout", "verify_settle_timeout", "allow_tpm2_unlock", "metrics_file"];

    /// <summary>
    /// The settings in <paramref name="path"/>; the defaults when the file does not exist. The file decides the
    /// command line of the kernel root jumps into (<c>append = init=/bin/sh</c>), so, like the kernel files, it must
    /// belong to root or <paramref name="trustedUid"/> and be writable by no one else.
    /// </summary>
    public static RekernelConfig Load(string path, uint trustedUid)
    {
        // Most machines have no rekernel.conf: say so without opening it, since a FileNotFoundException thrown and
        // caught cost status --check 2 % of its time (other errors are still reported by the open below).
        if (FileSyscalls.Stat(path, out int errno, followLinks: true) is null && errno == Errno.ENOENT) return RekernelConfig.Defaults;
        string text;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path);
            if (FileSyscalls.Stat(handle, out _) is { } status) RefuseUntrusted(path, status, trustedUid);
            byte[] bytes = BoundedRead.All(handle, MaxBytes)
                ?? throw new RekernelException(ExitCode.ConfigError, $"{path} is larger than {MaxBytes >> 10} KiB, which no rekernel.conf needs; point {RekernelConfig.PathVariable} at the real configuration.");
            text = Encoding.UTF8.GetString(bytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return RekernelConfig.Defaults;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RekernelException(ExitCode.ConfigError, $"cannot read {path} ({ex.Message}); fix its permissions or point {RekernelConfig.PathVariable} at a readable file.", ex);
        }
        return Parse(text, path);
    }

    private static void RefuseUntrusted(string path, FileStatus status, uint trustedUid)
    {
        if (status.Uid != 0 && status.Uid != trustedUid)
            throw new RekernelException(ExitCode.ConfigError, $"{path} belongs to uid {status.Uid}, not root, so another user could choose the next kernel's command line; run chown root {path}.");
        if (status.IsWritableByOthers)
            throw new RekernelException(ExitCode.ConfigError, $"{path} is writable by group or others (mode {status.Permissions}), so another user could choose the next kernel's command line; run chmod go-w {path}.");
    }

    /// <summary>The settings in <paramref name="text"/>; <paramref name="path"/> names the file in errors.</summary>
    public static RekernelConfig Parse(string text, string path)
    {
        var config = RekernelConfig.Defaults;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool fleet = false;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            string where = $"{path}:{i + 1}";
            if (line[0] == '[')
            {
                if (line != "[fleet]") Fail(where, $"unknown section '{line}'; the only section is [fleet]");
                if (fleet) Fail(where, "[fleet] appears twice; keep one section");
                fleet = true;
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) Fail(where, $"'{line}' is not a 'key = value' line; comments start with #");
            string key = line[..eq].Trim();
            string value = line[(eq + 1)..].Trim();
            ImmutableArray<string> known = fleet ? FleetConfig.Keys : Keys;
            if (!known.Contains(key)) Fail(where, $"unknown key '{key}'{(fleet ? " in [fleet]" : "")}; known keys: {string.Join(", ", known)}");
            if (value.Length == 0) Fail(where, $"{key} has no value; give one or delete the line");
            if (key is not ("append" or "remove" or "health_command" or "pre_switch" or "post_switch"))
            {
                if (seen.TryGetValue(key, out int first)) Fail(where, $"{key} is already set on line {first}; keep one of them");
                seen[key] = i + 1;
            }
            config = fleet ? config with { Fleet = ApplyFleet(config.Fleet, key, value, where) } : Apply(config, key, value, where);
        }
        return config;
    }

    private static RekernelConfig Apply(RekernelConfig config, string key, string value, string where) => key switch
    {
        "target" => config with { Target = value switch
        {
            "default" => TargetPolicy.Default,
            "latest" => TargetPolicy.Latest,
            _ => Invalid<TargetPolicy>(where, key, value, "default or latest"),
        } },
        "append" => config with { Append = config.Append.Add(value) },
        "remove" => config with { Remove = config.Remove.Add(OneWord(where, key, value)) },
        "panic_timeout" => config with { PanicTimeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
            ? seconds == 0 ? null : seconds
            : Invalid<int?>(where, key, value, "a number of seconds, or 0 for no panic= fallback") },
        "switch" => config with { Switch = value switch
        {
            "graceful" => SwitchPolicy.Graceful,
            "now" => SwitchPolicy.Now,
            _ => Invalid<SwitchPolicy>(where, key, value, "graceful or now"),
        } },
        "maintenance_window" => config with { MaintenanceWindow = MaintenanceWindow.TryParse(value)
            ?? Invalid<MaintenanceWindow>(where, key, value, "HH:MM-HH:MM in local time, e.g. 02:00-04:30 (23:00-01:00 runs over midnight)") },
        "auto_stage" => config with { AutoStage = YesNo(where, key, value) },
        "allow_tpm2_unlock" => config with { AllowTpm2Unlock = YesNo(where, key, value) },
        "metrics_file" => config with { MetricsFile = value.Length == 0 ? null : value },
        "health_command" => config with { HealthCommands = config.HealthCommands.Add(NewHealthCommand(config, where, key, value)) },
        "health_command_timeout" => config with { HealthCommandTimeout = Seconds(where, key, value, minimum: 1) },
        "verify_settle_timeout" => config with { VerifySettleTimeout = Seconds(where, key, value, minimum: 0) },
        _ => throw new InvalidOperationException($"key {key} is known but not applied"),
    };

    private static bool YesNo(string where, string key, string value) => value switch
    {
        "yes" or "true" or "on" or "1" => true,
        "no" or "false" or "off" or "0" => false,
        _ => Invalid<bool>(where, key, value, "yes or no"),
    };

    /// <summary><c>NAME: COMMAND</c>; the name is one word, unique in the file, and names the check "command: NAME".</summary>
    private static HealthCommand NewHealthCommand(RekernelConfig config, string where, string key, string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? "" : value[..colon].Trim();
        string command = colon < 0 ? "" : value[(colon + 1)..].Trim();
        if (name.Length == 0 || command.Length == 0 || name.Any(char.IsWhiteSpace))
            return Invalid<HealthCommand>(where, key, value, "NAME: COMMAND, a one-word name then the shell command, e.g. web: curl -fsS http://localhost/health");
        if (config.HealthCommands.Any(c => c.Name == name))
            Fail(where, $"a health command named '{name}' is already set; give each a different name");
        return new HealthCommand(name, command);
    }

    private static TimeSpan Seconds(string where, string key, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds >= minimum
            ? TimeSpan.FromSeconds(seconds)
            : Invalid<TimeSpan>(where, key, value, minimum == 0 ? "a number of seconds (0: judge at once)" : "a number of seconds, at least 1");

    private static FleetConfig ApplyFleet(FleetConfig fleet, string key, string value, string where) => key switch
    {
        "endpoints" => fleet with { Endpoints = value },
        "ca" => fleet with { Ca = value },
        "cert" => fleet with { Cert = value },
        "key" => fleet with { Key = value },
        "user" => fleet with { User = value },
        "password_file" => fleet with { PasswordFile = value },
        "group" => fleet with { Group = value },
        "host_id" => fleet with { HostId = value },
        "pre_switch" => fleet with { PreSwitch = fleet.PreSwitch.Add(value) },
        "post_switch" => fleet with { PostSwitch = fleet.PostSwitch.Add(value) },
        "command_timeout" => fleet with { CommandTimeoutSeconds = PositiveSeconds(where, key, value) },
        "poll_interval" => fleet with { PollIntervalSeconds = PositiveSeconds(where, key, value) },
        _ => throw new InvalidOperationException($"key {key} is known but not applied"),
    };

    private static int PositiveSeconds(string where, string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
            ? seconds : Invalid<int>(where, key, value, "a positive number of seconds");

    private static string OneWord(string where, string key, string value) =>
        value.Any(char.IsWhiteSpace) ? Invalid<string>(where, key, value, "one KEY per line (repeat the line for more)") : value;

    private static T Invalid<T>(string where, string key, string value, string expected)
    {
        Fail(where, $"{key} = '{value}' is not valid; use {expected}");
        return default!;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string where, string message) =>
        throw new RekernelException(ExitCode.ConfigError, $"{where}: {message}.");
}
