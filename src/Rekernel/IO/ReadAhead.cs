using System.Runtime.ExceptionServices;

namespace Rekernel.IO;

/// <summary>
/// Items made in order for one consumer, with a second thread making them ahead of it. Each item is claimed by
/// whichever thread reaches it first, so the consumer, once it has caught up, makes the next item itself instead of
/// waiting; it waits only for an item the other thread is in the middle of, spinning at first and then sleeping, so
/// that a read blocked on a cold disk does not keep a core busy. The consumer's own work on each item (parsing a
/// boot entry, checking its kernel) then overlaps with reading the next ones.
/// </summary>
internal static class ReadAhead
{
    /// <summary>Items 0 to <paramref name="count"/> - 1 in order; <paramref name="make"/> must be safe to call from two threads at once.</summary>
    public static IEnumerable<T> InOrder<T>(int count, Func<int, T> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        return Run(count, make);
    }

    private static IEnumerable<T> Run<T>(int count, Func<int, T> make)
    {
        var items = new T[count];
        var ready = new int[count];
        int claimed = 0;
        ExceptionDispatchInfo? failed = null;
        var ahead = new Thread(() =>
        {
            try
            {
                for (int k; (k = Interlocked.Increment(ref claimed) - 1) < count;)
                {
                    items[k] = make(k);
                    Volatile.Write(ref ready[k], 1);
                }
            }
            catch (Exception e)
            {
                failed = ExceptionDispatchInfo.Capture(e);
            }
        });
        ahead.Start();
        try
        {
            for (int i = 0; i < count; i++)
            {
                if (Volatile.Read(ref ready[i]) == 0 && Interlocked.CompareExchange(ref claimed, i + 1, i) == i)
                {
                    items[i] = make(i);
                }
                else
                {
                    var spin = new SpinWait();
                    while (Volatile.Read(ref ready[i]) == 0)
                    {
                        Volatile.Read(ref failed)?.Throw();
                        spin.SpinOnce();
                    }
                }
                yield return items[i];
            }
        }
        finally
        {
            // A consumer that stops early leaves the rest unclaimed, so the other thread stops after its current item.
            Interlocked.Exchange(ref claimed, count);
            ahead.Join();
        }
    }
}
