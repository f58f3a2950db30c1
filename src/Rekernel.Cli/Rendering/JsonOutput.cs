using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rekernel.Discovery;

namespace Rekernel.Cli.Rendering;

/// <summary>Writes JSON documents with <see cref="Utf8JsonWriter"/> (no reflection, so it is AOT-safe).</summary>
public static class JsonOutput
{
    // Relaxed: GRUB entry paths ('submenu>entry') and sentences keep their '>', '<', '&' and quotes literal; the
    // output is read by people and JSON parsers, never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one JSON document built by <paramref name="write"/> to <paramref name="output"/>, newline-terminated.</summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A property holding an array of strings.</summary>
    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>A boot entry with the fields of <c>rekernel list --json</c>; null writes JSON null.</summary>
    public static void WriteEntry(Utf8JsonWriter w, BootEntry? entry, EntryMarks marks)
    {
        if (entry is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("id", entry.Id);
        w.WriteString("title", entry.Title);
        w.WriteString("version", entry.Version);
        w.WriteString("kernel", entry.Kernel);
        WriteStrings(w, "initrds", entry.Initrds);
        w.WriteString("cmdline", entry.Cmdline);
        w.WriteString("source", SourceName(entry.Source));
        w.WriteBoolean("default", marks.IsDefault(entry));
        w.WriteBoolean("running", marks.IsRunning(entry));
        w.WriteEndObject();
    }

    public static string SourceName(BootEntrySource source) => source switch
    {
        BootEntrySource.Bls => "bls",
        BootEntrySource.Grub => "grub",
        BootEntrySource.BootDir => "bootdir",
        BootEntrySource.Uki => "uki",
        _ => source.ToString().ToLowerInvariant(),
    };

    /// <summary>The bootloader as <c>status</c> names it: <c>grub</c>, <c>systemd-boot</c>, <c>none</c>.</summary>
    public static string BootloaderName(Bootloader bootloader) => bootloader switch
    {
        Bootloader.Grub => "grub",
        Bootloader.SystemdBoot => "systemd-boot",
        Bootloader.None => "none",
        _ => bootloader.ToString().ToLowerInvariant(),
    };
}
