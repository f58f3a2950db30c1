using Microsoft.Win32.SafeHandles;
using Rekernel.Images;
using Rekernel.Native;
using Rekernel.Planning;

namespace Rekernel.Kexec;

/// <summary>
/// The two descriptors <c>kexec_file_load</c> takes. Several initrds (microcode first, in entry order) are
/// concatenated into one memory file, since the kernel accepts concatenated cpio archives; a UKI's
/// <c>.linux</c> section becomes the kernel and its <c>.initrd</c> section comes before the entry's initrds. A
/// gzip or EFI zboot kernel is decompressed into a memory file (<see cref="KernelUnpacker"/>), as kexec-tools does:
/// kexec_file_load takes only the Image. Nothing is written to disk. Memory files created here are owned (and closed) by the set.
/// </summary>
public sealed class KexecImageSet : IDisposable
{
    private const int CopyChunk = 1 << 20;
    private readonly List<SafeFileHandle> _owned;

    private KexecImageSet(SafeFileHandle kernel, SafeFileHandle? initrd, List<SafeFileHandle> owned)
    {
        Kernel = kernel;
        Initrd = initrd;
        _owned = owned;
    }

    public SafeFileHandle Kernel { get; }

    /// <summary>Null when the entry has no initrd (the load passes <c>KEXEC_FILE_NO_INITRAMFS</c>).</summary>
    public SafeFileHandle? Initrd { get; }

    public static KexecImageSet Assemble(OpenedImages images, UkiLayout? uki, IKexecSystem system)
    {
        var owned = new List<SafeFileHandle>();
        try
        {
            SafeFileHandle kernel = ImageOf(images.Kernel, uki, system, owned);
            var parts = new List<(ImageFile File, FileSpan Span)>();
            if (uki?.Initrd is { } section) parts.Add(Part(images.Kernel, section));
            parts.AddRange(images.Initrds.Select(f => (f, new FileSpan(0, f.Size))));
            SafeFileHandle? initrd = parts.Count switch
            {
                0 => null,
                1 when uki is null => images.Initrds[0].Handle,
                _ => Own(owned, Concatenate(system, "rekernel-initrd", parts)),
            };
            return new KexecImageSet(kernel, initrd, owned);
        }
        catch
        {
            foreach (SafeFileHandle h in owned) h.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (SafeFileHandle h in _owned) h.Dispose();
    }

    /// <summary>The descriptor holding the Image: the file itself, a UKI's section copied out, or the decompressed Image.</summary>
    private static SafeFileHandle ImageOf(ImageFile file, UkiLayout? uki, IKexecSystem system, List<SafeFileHandle> owned)
    {
        (ImageFile, FileSpan) part = Part(file, uki?.Linux ?? new FileSpan(0, file.Size));
        PackedKernel packed = KernelUnpacker.Detect(file.Handle, part.Item2);
        if (packed.Problem is { } problem) ThrowHelper.Refuse($"{file.PathInRoot} cannot be staged: it is {problem}.");
        if (packed.Packing == KernelPacking.Plain)
            return uki is null ? file.Handle : Own(owned, Concatenate(system, "rekernel-kernel", [part]));
        SafeFileHandle target = Own(owned, system.CreateMemoryFile("rekernel-kernel"));
        try { KernelUnpacker.Unpack(file.Handle, packed, target); }
        catch (InvalidDataException e)
        {
            ThrowHelper.Refuse($"{file.PathInRoot} cannot be staged: its compressed kernel is corrupt ({e.Message}); reinstall the kernel package that owns it.");
        }
        return target;
    }

    private static (ImageFile, FileSpan) Part(ImageFile file, FileSpan span)
    {
        if (span.Offset + span.Length > file.Size)
            ThrowHelper.Refuse($"the UKI {file.PathInRoot} is truncated: a section ends at byte {span.Offset + span.Length} but the file has {file.Size}; reinstall it.");
        return (file, span);
    }

    private static SafeFileHandle Own(List<SafeFileHandle> owned, SafeFileHandle handle)
    {
        owned.Add(handle);
        return handle;
    }

    private static SafeFileHandle Concatenate(IKexecSystem system, string name, IReadOnlyList<(ImageFile File, FileSpan Span)> parts)
    {
        SafeFileHandle target = system.CreateMemoryFile(name);
        try
        {
            byte[] buffer = new byte[CopyChunk];
            long written = 0;
            foreach ((ImageFile file, FileSpan span) in parts)
            {
                for (long done = 0; done < span.Length;)
                {
                    int want = (int)Math.Min(buffer.Length, span.Length - done);
                    int read = RandomAccess.Read(file.Handle, buffer.AsSpan(0, want), span.Offset + done);
                    if (read <= 0) ThrowHelper.Refuse($"{file.PathInRoot} shrank while it was being read; retry once package updates have finished.");
                    RandomAccess.Write(target, buffer.AsSpan(0, read), written);
                    done += read;
                    written += read;
                }
            }
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
