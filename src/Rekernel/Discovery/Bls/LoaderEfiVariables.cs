using System.Text;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// systemd-boot's EFI variables (vendor GUID 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f) as efivarfs shows them:
/// 4 bytes of attributes, then the value, here a UTF-16LE string with a terminating NUL.
/// </summary>
public sealed record LoaderEfiVariables
{
    public const string VendorGuid = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
    public const string EfivarsDirectory = "/sys/firmware/efi/efivars";

    public static readonly LoaderEfiVariables None = new();

    /// <summary><c>LoaderEntryOneShot</c>: the entry to boot next time only (<c>systemctl reboot --boot-loader-entry</c>).</summary>
    public string? EntryOneShot { get; init; }
    /// <summary><c>LoaderEntryDefault</c>: the default set with <c>bootctl set-default</c> or the menu's <c>d</c> key.</summary>
    public string? EntryDefault { get; init; }
    /// <summary><c>LoaderEntryLastBooted</c>: the entry booted last, which <c>@saved</c> refers to.</summary>
    public string? EntryLastBooted { get; init; }

    /// <summary>The variables present under <see cref="EfivarsDirectory"/> inside the root.</summary>
    public static LoaderEfiVariables Load(BootRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new LoaderEfiVariables
        {
            EntryOneShot = ReadString(root, "LoaderEntryOneShot"),
            EntryDefault = ReadString(root, "LoaderEntryDefault"),
            EntryLastBooted = ReadString(root, "LoaderEntryLastBooted"),
        };
    }

    /// <summary>The string value of one loader variable, or null when absent, empty or malformed.</summary>
    public static string? ReadString(BootRoot root, string name)
    {
        ArgumentNullException.ThrowIfNull(root);
        byte[]? bytes = root.ReadBytes($"{EfivarsDirectory}/{name}-{VendorGuid}");
        return bytes is null ? null : Decode(bytes);
    }

    /// <summary>The UTF-16LE string after the 4 attribute bytes, up to the first NUL.</summary>
    public static string? Decode(ReadOnlySpan<byte> efivarfsContent)
    {
        if (efivarfsContent.Length < 4) return null;
        ReadOnlySpan<byte> data = efivarfsContent[4..];
        data = data[..(data.Length & ~1)];
        string value = Encoding.Unicode.GetString(data);
        int nul = value.IndexOf('\0');
        if (nul >= 0) value = value[..nul];
        return value.Length == 0 ? null : value;
    }
}
