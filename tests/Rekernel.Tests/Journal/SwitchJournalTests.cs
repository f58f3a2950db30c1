using System.Text;
using System.Text.RegularExpressions;
using Rekernel.Journal;

namespace Rekernel.Tests.Journal;

public sealed class SwitchJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static SwitchRecord Record(string to = "6.1.0-53-cloud-amd64", string bootId = "boot-a", DateTimeOffset? at = null) => new()
    {
        FromVersion = "6.1.0-47-cloud-amd64",
        ToVersion = to,
        EntryId = "debian-" + to,
        KernelPath = "/boot/vmlinuz-" + to,
        Cmdline = "root=/dev/vda ro console=ttyS0 \"quoted\"",
        RequestedAt = at ?? T0,
        Mode = SwitchMode.Graceful,
        BootId = bootId,
    };

    [Fact]
    public void PendingSwitch_SurvivesARestartOfRekernel_AndCompletesWithDowntime()
    {
        new SwitchJournal(_dir.Path).RecordPending(Record());

        var reopened = new SwitchJournal(_dir.Path);
        Assert.Equal(Record(), reopened.Pending);
        SwitchRecord done = reopened.Complete(SwitchOutcome.Success, T0.AddMinutes(1), 7.9);

        SwitchRecord stored = Assert.Single(new SwitchJournal(_dir.Path).History);
        Assert.Equal(done, stored);
        Assert.Equal(SwitchOutcome.Success, stored.Outcome);
        Assert.Equal(7.9, stored.DowntimeSeconds);
        Assert.Equal(T0.AddMinutes(1), stored.VerifiedAt);
        Assert.Null(new SwitchJournal(_dir.Path).Pending);
    }

    [Fact]
    public void JournalOfAnOlderVersion_FailedOutcome_ReadsAsFallback()
    {
        Directory.CreateDirectory(_dir.Path);
        File.WriteAllText(Path.Join(_dir.Path, "journal.json"),
            """{"formatVersion": 1, "switches": [{"from": "a", "to": "b", "requestedAt": "2025-06-01T10:00:00Z", "mode": "now", "outcome": "failed", "bootId": "boot-a"}]}""");

        SwitchRecord old = Assert.Single(new SwitchJournal(_dir.Path).History);

        Assert.Equal(SwitchOutcome.Fallback, old.Outcome);
        Assert.Null(old.Token);
    }

    [Fact]
    public void History_ListsNewestFirst()
    {
        var journal = new SwitchJournal(_dir.Path);
        journal.RecordPending(Record("6.1.0-50-cloud-amd64", "boot-a", T0));
        journal.Complete(SwitchOutcome.Success, T0.AddMinutes(1), 8);
        journal.RecordPending(Record("6.1.0-53-cloud-amd64", "boot-b", T0.AddDays(1)));

        Assert.Equal(["6.1.0-53-cloud-amd64", "6.1.0-50-cloud-amd64"], journal.History.Select(r => r.ToVersion));
    }

    [Fact]
    public void NewSwitchInSameBoot_CancelsTheEarlierRequest_AndAfterAReboot_MarksItUnverified()
    {
        var journal = new SwitchJournal(_dir.Path);
        journal.RecordPending(Record("6.1.0-50-cloud-amd64", "boot-a"));
        journal.RecordPending(Record("6.1.0-52-cloud-amd64", "boot-a"));
        journal.RecordPending(Record("6.1.0-53-cloud-amd64", "boot-b"));

        Assert.Equal(
            [SwitchOutcome.Pending, SwitchOutcome.Unverified, SwitchOutcome.Cancelled],
            journal.History.Select(r => r.Outcome));
        Assert.Equal("6.1.0-53-cloud-amd64", journal.Pending?.ToVersion);
    }

    [Fact]
    public void CrashBetweenWriteAndRename_KeepsThePreviousJournal_AndTheNextWriteCleansUp()
    {
        new SwitchJournal(_dir.Path).RecordPending(Record("6.1.0-50-cloud-amd64"));
        byte[] before = File.ReadAllBytes(_dir.File("journal.json"));
        var crashing = new AtomicStateFileSystem(_ => throw new InvalidOperationException("power lost"));

        Assert.Throws<InvalidOperationException>(() => new SwitchJournal(_dir.Path, crashing).RecordPending(Record("6.1.0-53-cloud-amd64", "boot-b")));

        Assert.Equal(before, File.ReadAllBytes(_dir.File("journal.json")));
        string leftover = Assert.Single(Directory.GetFiles(_dir.Path, "journal.json.tmp-*"));
        Assert.Contains("6.1.0-53-cloud-amd64", File.ReadAllText(leftover));
        var journal = new SwitchJournal(_dir.Path);
        Assert.Equal("6.1.0-50-cloud-amd64", journal.Pending?.ToVersion);

        journal.Complete(SwitchOutcome.Success, T0, 5);
        Assert.Empty(Directory.GetFiles(_dir.Path, "journal.json.tmp-*"));
    }

    [Fact]
    public void HalfWrittenTemporaryFile_IsIgnored()
    {
        new SwitchJournal(_dir.Path).RecordPending(Record());
        _dir.Write("journal.json.tmp-4242", "{\"formatVersion\":1,\"switches\":[{\"from\":\"6.1");

        Assert.Equal(Record(), new SwitchJournal(_dir.Path).Pending);
    }

    [Fact]
    public void JournalCutShort_IsReportedWithPathAndFix_NotACrash()
    {
        string path = _dir.Write("journal.json", "{\n\"formatVersion\": 1,\n\"switches\": [ {\"from\": \"6.1.0-47");

        var ex = Assert.Throws<RekernelException>(() => new SwitchJournal(_dir.Path).History);

        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.StartsWith($"{path} is corrupt: it is not valid JSON at line 3", ex.Message);
        Assert.Contains("move it aside", ex.Message);
    }

    [Fact]
    public void JournalMissingAField_NamesTheRecordAndField()
    {
        _dir.Write("journal.json", """{"formatVersion":1,"switches":[{"from":"a","requestedAt":"2025-06-01T10:00:00Z","mode":"now","outcome":"pending"}]}""");

        var ex = Assert.Throws<RekernelException>(() => new SwitchJournal(_dir.Path).Pending);

        Assert.Contains("is corrupt: switch #1 has no \"bootId\"", ex.Message);
    }

    [Fact]
    public void CorruptJournal_IsNeverOverwritten()
    {
        string path = _dir.Write("journal.json", "garbage");

        Assert.Throws<RekernelException>(() => new SwitchJournal(_dir.Path).RecordPending(Record()));

        Assert.Equal("garbage", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(28, "No space left on device", "no space left on device")]
    [InlineData(5, "Input/output error", "input/output error")]
    public void WriteFailure_IsOneClearSentence_AndKeepsTheOldJournal(int errno, string osMessage, string reason)
    {
        new SwitchJournal(_dir.Path).RecordPending(Record("6.1.0-50-cloud-amd64"));
        var failing = new FailingStateFileSystem(errno, osMessage);

        var ex = Assert.Throws<RekernelException>(() => new SwitchJournal(_dir.Path, failing).RecordPending(Record("6.1.0-53-cloud-amd64", "boot-b")));

        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.Equal(
            $"cannot write {_dir.File("journal.json")} ({reason}); the switch was not started and the previous file is intact: free space or fix {_dir.Path}, then retry.",
            ex.Message);
        Assert.Equal("6.1.0-50-cloud-amd64", new SwitchJournal(_dir.Path).Pending?.ToVersion);
    }

    [Fact]
    public void StateDirectoryThatIsAFile_FailsWithRefusal()
    {
        string notADir = _dir.Write("state", "x");

        var ex = Assert.Throws<RekernelException>(() => new SwitchJournal(notADir).RecordPending(Record()));

        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.StartsWith($"cannot write {notADir}/journal.json (", ex.Message);
    }

    [Fact]
    public void StagedKernel_RoundTrips_AndClears()
    {
        var journal = new SwitchJournal(_dir.Path);
        Assert.Null(journal.Staged);
        var staged = new StagedKernel
        {
            Version = "6.1.0-53-cloud-amd64",
            EntryId = "debian-6.1.0-53",
            KernelPath = "/boot/vmlinuz-6.1.0-53-cloud-amd64",
            Initrds = ["/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-53-cloud-amd64"],
            Cmdline = "root=/dev/vda ro",
            StagedAt = T0,
            BootId = "boot-a",
            From = "6.1.0-47-cloud-amd64",
        };

        journal.RecordStaged(staged);
        StagedKernel read = new SwitchJournal(_dir.Path).Staged!;

        Assert.Equal(staged with { Initrds = read.Initrds }, read);
        Assert.Equal(staged.Initrds, read.Initrds);
        journal.ClearStaged();
        Assert.Null(journal.Staged);
    }

    [Fact]
    public void StagedFileOfAnOlderVersion_WithoutFrom_ReadsWithTheReleaseUnknown()
    {
        // staged.json as rekernel wrote it before it kept the staging release.
        File.WriteAllText(Path.Join(_dir.Path, "staged.json"), """
            {
              "formatVersion": 1,
              "version": "6.1.0-53-cloud-amd64",
              "entryId": null,
              "kernel": "/boot/vmlinuz-6.1.0-53-cloud-amd64",
              "initrds": [],
              "cmdline": "root=/dev/vda ro panic=10",
              "token": null,
              "stagedAt": "2025-06-01T10:00:00+00:00",
              "bootId": "boot-a",
              "loader": null,
              "loaderReason": null
            }
            """);

        StagedKernel read = new SwitchJournal(_dir.Path).Staged!;

        Assert.Equal("6.1.0-53-cloud-amd64", read.Version);
        Assert.Null(read.From);
    }

    [Fact]
    public void JournalFile_IsIndentedUtf8Json()
    {
        new SwitchJournal(_dir.Path).RecordPending(Record());

        string text = Encoding.UTF8.GetString(File.ReadAllBytes(_dir.File("journal.json")));

        Assert.StartsWith("{\n  \"formatVersion\": 1,\n  \"switches\": [\n", text);
        Assert.Contains("\"requestedAt\": \"2025-06-01T10:00:00+00:00\"", text);
    }

    /// <summary>Switches requested one minute apart from T0 (10:00), each verified 30 s later except the last, which stays pending.</summary>
    private SwitchJournal SwitchedEveryMinute(int count)
    {
        var journal = new SwitchJournal(_dir.Path);
        for (int i = 0; i < count; i++)
        {
            journal.RecordPending(Record($"6.1.0-{i}-cloud-amd64", "boot-a", T0.AddMinutes(i)));
            if (i < count - 1) journal.Complete(SwitchOutcome.Success, T0.AddMinutes(i).AddSeconds(30), 8);
        }
        return new SwitchJournal(_dir.Path);
    }

    private int RecordsInTheFile() => Regex.Count(File.ReadAllText(_dir.File("journal.json")), "\"requestedAt\"");

    [Fact]
    public void TwoHundredSwitches_AreAllKept()
    {
        IReadOnlyList<SwitchRecord> history = SwitchedEveryMinute(200).History;

        Assert.Equal(200, history.Count);
        Assert.Equal(200, RecordsInTheFile());
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero), history[^1].RequestedAt);
        Assert.Equal("6.1.0-0-cloud-amd64", history[^1].ToVersion);
    }

    [Fact]
    public void TwoHundredAndFirstSwitch_DropsTheOldest_KeepsTheNewestPending()
    {
        IReadOnlyList<SwitchRecord> history = SwitchedEveryMinute(201).History;

        Assert.Equal(200, history.Count);
        Assert.Equal(200, RecordsInTheFile());
        // The first remaining record is the one requested at T0 + 1 min; the one from T0 is gone.
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 10, 1, 0, TimeSpan.Zero), history[^1].RequestedAt);
        Assert.Equal("6.1.0-1-cloud-amd64", history[^1].ToVersion);
        Assert.Equal(SwitchOutcome.Success, history[^1].Outcome);
        Assert.DoesNotContain(history, r => r.ToVersion == "6.1.0-0-cloud-amd64");
        // The newest is the one requested at T0 + 200 min (13:20), still pending.
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 13, 20, 0, TimeSpan.Zero), history[0].RequestedAt);
        Assert.Equal(SwitchOutcome.Pending, history[0].Outcome);
        Assert.Equal("6.1.0-200-cloud-amd64", new SwitchJournal(_dir.Path).Pending?.ToVersion);
    }

    [Fact]
    public void TwoHundredAndFiftySwitches_KeepTheLast200InOrder()
    {
        IReadOnlyList<SwitchRecord> history = SwitchedEveryMinute(250).History;

        Assert.Equal(200, history.Count);
        Assert.Equal(200, RecordsInTheFile());
        // Newest first: 249, 248, ..., 50 (T0 + 50 min is 10:50).
        Assert.Equal(Enumerable.Range(50, 200).Reverse().Select(i => $"6.1.0-{i}-cloud-amd64"), history.Select(r => r.ToVersion));
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 10, 50, 0, TimeSpan.Zero), history[^1].RequestedAt);
    }

    [Fact]
    public void SettlingTheSwitchWhenTheJournalIsFull_DropsNothing()
    {
        SwitchJournal journal = SwitchedEveryMinute(201);

        journal.Complete(SwitchOutcome.Success, T0.AddHours(4), 9);

        IReadOnlyList<SwitchRecord> history = new SwitchJournal(_dir.Path).History;
        Assert.Equal(200, history.Count);
        Assert.Equal("6.1.0-1-cloud-amd64", history[^1].ToVersion);
        Assert.Equal(("6.1.0-200-cloud-amd64", SwitchOutcome.Success), (history[0].ToVersion, history[0].Outcome));
    }
}
