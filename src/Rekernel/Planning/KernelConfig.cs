using System.IO.Compression;
using Rekernel.Discovery;

namespace Rekernel.Planning;

/// <summary>The running kernel's build configuration: <c>/boot/config-RELEASE</c>, else <c>/proc/config.gz</c>.</summary>
public sealed class KernelConfig
{
    private readonly string? _text;

    private KernelConfig(string? text, string? source)
    {
        _text = text;
        Source = source;
    }

    /// <summary>Where the configuration was read, or null when none was found.</summary>
    public string? Source { get; }

    public static KernelConfig Read(BootRoot root, string? release)
    {
        if (release is not null && root.ReadText($"/boot/config-{release}") is { } text) return new(text, $"/boot/config-{release}");
        if (root.ReadBytes("/proc/config.gz") is { } gz && Gunzip(gz) is { } unpacked) return new(unpacked, "/proc/config.gz");
        return new(null, null);
    }

    /// <summary>Whether an option is built in or a module; null when no configuration could be read.</summary>
    public bool? IsEnabled(string option)
    {
        if (_text is null) return null;
        foreach (string line in _text.Split('\n'))
        {
            if (line.StartsWith(option + "=", StringComparison.Ordinal))
                return line[(option.Length + 1)..].Trim() is "y" or "m";
        }
        return false;
    }

    private static string? Gunzip(byte[] data)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException) { return null; }
    }
}
