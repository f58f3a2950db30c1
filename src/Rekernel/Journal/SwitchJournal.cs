using Rekernel.Health;
using Rekernel.Native;

namespace Rekernel.Journal;

/// <summary>
/// What was switched, when, and whether it came up: <c>journal.json</c>, <c>staged.json</c> and the health
/// snapshot <c>health.json</c> in a state directory. Every write replaces a whole file atomically; an unreadable file is reported, never overwritten.
/// Callers that write hold the <see cref="Locking.ProcessLock"/>.
/// </summary>
public sealed class SwitchJournal
{
    public const string DefaultStateDirectory = "/var/lib/rekernel";
    public const string StateDirectoryVariable = "REKERNEL_STATE_DIR";

    /// <summary>Older records are dropped beyond this many, so the file stays small on machines that switch often.</summary>
    public const int MaxRecords = 200;

    private readonly IStateFileSystem _files;

    public SwitchJournal(string stateDirectory, IStateFileSystem? files = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        StateDirectory = stateDirectory;
        _files = files ?? new AtomicStateFileSystem();
    }

    /// <summary><c>$REKERNEL_STATE_DIR</c>, else <c>/var/lib/rekernel</c>.</summary>
    public static string StateDirectoryFromEnvironment() =>
        Environment.GetEnvironmentVariable(StateDirectoryVariable) is { Length: > 0 } dir ? dir : DefaultStateDirectory;

    public string StateDirectory { get; }
    public string JournalPath => Path.Join(StateDirectory, "journal.json");
    public string StagedPath => Path.Join(StateDirectory, "staged.json");
    public string HealthPath => Path.Join(StateDirectory, "health.json");

    /// <summary>Every recorded switch, newest first.</summary>
    public IReadOnlyList<SwitchRecord> History => [.. Records().Reverse()];

    /// <summary>The newest switch that no later boot has settled yet, or null.</summary>
    public SwitchRecord? Pending => Records().LastOrDefault(r => r.Outcome == SwitchOutcome.Pending);

    /// <summary>
    /// Appends a pending switch. An earlier pending one is settled first: requested in the same boot it was
    /// replaced (<see cref="SwitchOutcome.Cancelled"/>), from an earlier boot nobody verified it
    /// (<see cref="SwitchOutcome.Unverified"/>).
    /// </summary>
    public void RecordPending(SwitchRecord record)
    {
        if (record.Outcome != SwitchOutcome.Pending) throw new ArgumentException("a new switch must be pending", nameof(record));
        var records = Records()
            .Select(r => r.Outcome != SwitchOutcome.Pending ? r
                : r with { Outcome = r.BootId == record.BootId ? SwitchOutcome.Cancelled : SwitchOutcome.Unverified })
            .Append(record)
            .TakeLast(MaxRecords)
            .ToList();
        Save(JournalPath, JournalJson.JournalBytes(records), "the switch was not started");
    }

    /// <summary>Settles the pending switch and returns it as saved; <see cref="ExitCode.NotFound"/> when none is pending.</summary>
    public SwitchRecord Complete(SwitchOutcome outcome, DateTimeOffset settledAt, double? downtimeSeconds = null, string? detail = null,
        IReadOnlyList<HealthCheck>? checks = null)
    {
        if (outcome == SwitchOutcome.Pending) throw new ArgumentException("completing needs a final outcome", nameof(outcome));
        var records = Records().ToList();
        int i = records.FindLastIndex(r => r.Outcome == SwitchOutcome.Pending);
        if (i < 0) ThrowHelper.NotFound($"no switch is pending in {JournalPath}; nothing to settle.");
        SwitchRecord settled = records[i] with
        {
            Outcome = outcome,
            VerifiedAt = settledAt,
            DowntimeSeconds = downtimeSeconds,
            Detail = detail,
            Checks = checks ?? [],
        };
        records[i] = settled;
        Save(JournalPath, JournalJson.JournalBytes(records), "the switch stays pending");
        return settled;
    }

    /// <summary>Remembers what <c>rekernel load</c> staged, for the switch that follows.</summary>
    public void RecordStaged(StagedKernel staged) =>
        Save(StagedPath, JournalJson.StagedBytes(staged), "the staged kernel is not recorded, so `rekernel switch` cannot name it");

    /// <summary>What <c>rekernel load</c> last staged, or null; the caller compares its boot id with the current one.</summary>
    public StagedKernel? Staged => Read(StagedPath) is { } bytes ? Decode(StagedPath, () => JournalJson.ReadStaged(bytes)) : null;

    /// <summary>Keeps the health snapshot taken when a kernel was staged, for <c>verify</c> after the switch.</summary>
    public void RecordHealth(HealthSnapshot snapshot) =>
        Save(HealthPath, HealthJson.Bytes(snapshot), "no health snapshot is kept, so `rekernel verify` could not compare the machine's health");

    /// <summary>The last health snapshot, or null; the caller compares its boot id with the switch's.</summary>
    public HealthSnapshot? Health => Read(HealthPath) is { } bytes ? Decode(HealthPath, () => HealthJson.Read(bytes)) : null;

    /// <summary>Forgets the staged kernel (after <c>rekernel unload</c>).</summary>
    public void ClearStaged()
    {
        try { File.Delete(StagedPath); }
        catch (DirectoryNotFoundException) { }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw WriteFailure(StagedPath, ex, "the old staged record stays"); }
    }

    private IEnumerable<SwitchRecord> Records() =>
        Read(JournalPath) is { } bytes ? Decode(JournalPath, () => JournalJson.ReadJournal(bytes)) : [];

    private byte[]? Read(string path)
    {
        try
        {
            return _files.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RekernelException(ExitCode.Refused, $"cannot read {path}: {ex.Message}; check the disk and the permissions of {StateDirectory}.", ex);
        }
    }

    private static T Decode<T>(string path, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (FormatException ex)
        {
            throw new RekernelException(ExitCode.ConfigError,
                $"{path} is corrupt: {ex.Message}; move it aside (rekernel starts a new one) and report it if no crash or full disk explains it.", ex);
        }
    }

    private void Save(string path, byte[] bytes, string consequence)
    {
        try
        {
            _files.WriteFileAtomically(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailure(path, ex, consequence);
        }
    }

    private RekernelException WriteFailure(string path, Exception ex, string consequence) =>
        new(ExitCode.Refused,
            $"cannot write {path} ({Reason(ex)}); {consequence} and the previous file is intact: free space or fix {StateDirectory}, then retry.", ex);

    private static string Reason(Exception ex) => ex.HResult switch
    {
        Errno.ENOSPC => "no space left on device",
        Errno.EIO => "input/output error",
        Errno.EROFS => "read-only file system",
        _ => ex.Message,
    };
}
