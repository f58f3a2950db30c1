#:project ../src/Rekernel/Rekernel.csproj
#:property PublishAot=false
// What unpacking an EFI zboot kernel costs when rekernel stages it (KernelUnpacker.Unpack into a memory file, as
// KexecImageSet does): the private resident memory it adds at its peak (RssAnon + RssFile of /proc/self/status,
// sampled every millisecond while it runs, over their values before), the bytes the GC allocated on the unpacking thread, and the time.
// The memory file's own pages are the Image, which the kernel is given anyway; mapped, they count as RssShmem and
// are shown apart. Run: dotnet run -c Release bench/zboot-unpack.cs ZBOOT-FILE...
using System.Diagnostics;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Rekernel.Images;
using Rekernel.Kexec;
using Rekernel.Machine;

static (long Private, long Shared) ResidentKiB()
{
    long Field(string[] lines, string name) => long.Parse(lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    string[] status = File.ReadAllLines("/proc/self/status");
    return (Field(status, "RssAnon") + Field(status, "RssFile"), Field(status, "RssShmem"));
}

var kexec = new LinuxKexecSystem(new RunningSystem(RunningSystem.LiveMachine), 0);
foreach (string path in args)
{
    for (int round = 0; round < 3; round++)
    {
        using SafeFileHandle file = File.OpenHandle(path);
        PackedKernel packed = KernelUnpacker.Detect(file, new FileSpan(0, RandomAccess.GetLength(file)));
        using SafeFileHandle target = kexec.CreateMemoryFile("bench-kernel");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        (long privateBefore, long sharedBefore) = ResidentKiB();
        long peakPrivate = privateBefore, peakShared = sharedBefore;
        bool done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                (long p, long s) = ResidentKiB();
                peakPrivate = Math.Max(peakPrivate, p);
                peakShared = Math.Max(peakShared, s);
                Thread.Sleep(1);
            }
        });
        sampler.Start();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        long length = KernelUnpacker.Unpack(file, packed, target);
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Volatile.Write(ref done, true);
        sampler.Join();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)} ({packed.Compression}, {RandomAccess.GetLength(file) / 1e6:0.0} MB -> {length / 1e6:0.0} MB), round {round + 1}: "
            + $"peak private resident +{(peakPrivate - privateBefore) / 1024.0:0.0} MiB, the memory file mapped +{(peakShared - sharedBefore) / 1024.0:0.0} MiB, "
            + $"GC allocated {allocated / 1048576.0:0.0} MiB, {watch.Elapsed.TotalMilliseconds:0} ms"));
    }
}
