using System.Buffers.Binary;
using System.Text;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Journal;
using Rekernel.Native;
using Rekernel.Processes;

namespace Rekernel.Switching;

/// <summary>
/// Sets and clears a <see cref="ReturnPath"/> in the machine's files: with the distribution's own tool when it is
/// installed (grub-editenv or grub2-editenv; bootctl, which acts on this machine's firmware and so only when the
/// machine directory is <c>/</c>), else by writing the format exactly. Failures are <see cref="IOException"/>s.
/// </summary>
/// <param name="files">The running machine's files.</param>
/// <param name="live">Whether <paramref name="files"/> is the live machine, whose firmware bootctl would change.</param>
public sealed class ReturnPathWriter(BootRoot files, IPrograms programs, bool live)
{

    // EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS, as bootctl sets loader variables.
    private const uint EfiAttributes = 0x07;

    public void Set(ReturnPath path)
    {
        switch (path.Mechanism)
        {
            case ReturnMechanism.GrubNextEntry:
                if (EditEnv() is { } tool) Run(tool, [HostFile(path.File), "set", $"{GrubEnv.NextEntry}={path.Entry}"]);
                else WriteInPlace(HostFile(path.File), GrubEnvBlock.With(files.ReadBytes(path.File), GrubEnv.NextEntry, path.Entry));
                break;
            case ReturnMechanism.SystemdBootOneShot:
                if (Bootctl() is { } bootctl) Run(bootctl, ["set-oneshot", path.Entry]);
                else WriteEfiVariable(HostFile(path.File), path.Entry);
                break;
        }
    }

    /// <summary>Clears the one-shot entry when it still holds what the switch wrote; false when it holds something else (consumed, or changed by someone).</summary>
    public bool Clear(ReturnPath path)
    {
        if (Current(path) != path.Entry) return false;
        switch (path.Mechanism)
        {
            case ReturnMechanism.GrubNextEntry:
                if (EditEnv() is { } tool) Run(tool, [HostFile(path.File), "unset", GrubEnv.NextEntry]);
                else WriteInPlace(HostFile(path.File), GrubEnvBlock.With(files.ReadBytes(path.File), GrubEnv.NextEntry, null));
                break;
            case ReturnMechanism.SystemdBootOneShot:
                if (Bootctl() is { } bootctl) Run(bootctl, ["set-oneshot", ""]);
                else RemoveEfiVariable(HostFile(path.File));
                break;
        }
        return true;
    }

    /// <summary>The value the bootloader would read now.</summary>
    public string? Current(ReturnPath path) => path.Mechanism switch
    {
        ReturnMechanism.GrubNextEntry => files.ReadText(path.File) is { } text ? GrubEnv.Parse(text)[GrubEnv.NextEntry] : null,
        _ => files.ReadBytes(path.File) is { } bytes ? LoaderEfiVariables.Decode(bytes) : null,
    };

    private string? EditEnv() => programs.Locate("grub-editenv") ?? programs.Locate("grub2-editenv");

    private string? Bootctl() => live ? programs.Locate("bootctl") : null;

    private void Run(string tool, string[] arguments)
    {
        ProgramRun run = programs.Run(tool, arguments) ?? throw new IOException($"{tool} could not be started");
        if (run.ExitCode != 0) throw new IOException($"{tool} {string.Join(' ', arguments)} failed with exit code {run.ExitCode}: {run.Reason}");
    }

    /// <summary>The host path of a file of the machine, its directory's links resolved inside the machine directory; the file may not exist yet.</summary>
    private string HostFile(string pathInRoot)
    {
        int slash = pathInRoot.LastIndexOf('/');
        string directory = files.Resolve(pathInRoot[..Math.Max(slash, 1)])
            ?? throw new DirectoryNotFoundException($"{pathInRoot[..Math.Max(slash, 1)]} does not exist");
        string file = Path.Join(directory, pathInRoot[(slash + 1)..]);
        // A link (Fedora's /boot/grub2/grubenv → ../efi/EFI/fedora/grubenv) is written where it points, as GRUB reads it.
        return files.Resolve(pathInRoot) ?? file;
    }

    // In place, as grub-editenv does: GRUB's save_env writes the file's own sectors, so the file must keep them.
    private static void WriteInPlace(string hostPath, byte[] block)
    {
        using var stream = new FileStream(hostPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        stream.SetLength(block.Length);
        stream.Write(block);
        stream.Flush(flushToDisk: true);
    }

    // efivarfs takes a variable in a single write(2): attributes, then the value; a new file replaces it whole.
    private static void WriteEfiVariable(string hostPath, string value)
    {
        RemoveEfiVariable(hostPath);
        byte[] text = Encoding.Unicode.GetBytes(value + "\0");
        byte[] content = new byte[4 + text.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(content, EfiAttributes);
        text.CopyTo(content, 4);
        using var handle = File.OpenHandle(hostPath, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(handle, content, 0);
    }

    private static void RemoveEfiVariable(string hostPath)
    {
        if (!File.Exists(hostPath)) return;
        FileFlagSyscalls.ClearImmutable(hostPath);
        File.Delete(hostPath);
    }
}
