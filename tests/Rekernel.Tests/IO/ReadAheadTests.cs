using Rekernel.IO;

namespace Rekernel.Tests.IO;

/// <summary>Reading a thousand boot entries with a second thread reading ahead of the parser.</summary>
public sealed class ReadAheadTests
{
    [Fact]
    public void TenThousandItems_EachMadeOnce_ComeInOrder()
    {
        int[] made = new int[10_000];
        List<int> seen = [.. ReadAhead.InOrder(made.Length, i => { Interlocked.Increment(ref made[i]); return i * 2; })];

        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => i * 2), seen);
        Assert.All(made, count => Assert.Equal(1, count));
    }

    [Fact]
    public void AFailureOnEitherThread_ReachesTheConsumer()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ReadAhead.InOrder(1_000, i => i == 700 ? throw new InvalidOperationException("entry 700") : i).ToList());

        Assert.Equal("entry 700", error.Message);
    }

    [Fact]
    public void AConsumerThatStopsEarly_LeavesNothingRunning()
    {
        // Each item takes a millisecond: had the other thread gone on, the 2,000 would take two seconds.
        int made = 0;
        List<int> first = [.. ReadAhead.InOrder(2_000, i => { Thread.Sleep(1); Interlocked.Increment(ref made); return i; }).Take(10)];
        int afterwards = Volatile.Read(ref made);
        Thread.Sleep(50);

        Assert.Equal(Enumerable.Range(0, 10), first);
        Assert.Equal(afterwards, Volatile.Read(ref made));
        Assert.True(afterwards < 100, $"{afterwards} items were made for a consumer that took 10");
    }
}
