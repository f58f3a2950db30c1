using System.IO.Compression;
using Rekernel.Discovery;

namespace Rekernel.Machine;

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

    internal static KernelConfig Read(BootRoot root, string? release)
    {
        if (release is not null && root.ReadText($"/boot/config-{release}") is { } text) return new(text, $"/boot/config-{release}");
        if (root.ReadBytes("/proc/config.gz") is { } gz && Gunzip(gz) is { } unpacked) return new(unpacked, "/proc/config.gz");
        return new(null, null);
    }

    /// <summary>Whether an option is built in or a module; null when no configuration could be read.</summary>
    public bool? IsEnabled(string option)
    {
        if (_text is null) return null;
        // The first line that starts with OPTION=, found with a vectorised search instead of splitting the
        // whole file (a distribution config has ~10,000 lines, and this runs on every load).
        string key = option + "=";
        for (int at = _text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = _text.IndexOf(key, at + 1, StringComparison.Ordinal))
        {
            if (at > 0 && _text[at - 1] != '\n') continue;
            int end = _text.IndexOf('\n', at);
            ReadOnlySpan<char> value = _text.AsSpan()[(at + key.Length)..(end < 0 ? _text.Length : end)].Trim();
            return value is "y" or "m";
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
