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

    /// <summary>
    /// Writes one JSON document built by <paramref name="write"/> to <paramref name="output"/>, newline-terminated.
    /// On a stream the UTF-8 goes straight out (see <see cref="WriteEntry"/> for the chunks); a 1,000-entry list built
    /// in memory and turned into a string first allocated 5 MB, a third of that command's time.
    /// </summary>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        if (output is StreamWriter { BaseStream: var stream } streamWriter)
        {
            streamWriter.Flush();
            WriteDocument(stream, write);
            stream.Flush();
            return;
        }
        using var buffer = new MemoryStream();
        WriteDocument(buffer, write);
        output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteDocument(Stream stream, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }
        stream.Write("\n"u8);
    }

    /// <summary>Hands what is pending to the stream once it passes this size, so long lists go out in bounded chunks.</summary>
    private const int ChunkBytes = 32 * 1024;

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
        w.WriteString(EntryNames.Id, entry.Id);
        w.WriteString(EntryNames.Title, entry.Title);
        w.WriteString(EntryNames.Version, entry.Version);
        w.WriteString(EntryNames.Kernel, entry.Kernel);
        w.WriteStartArray(EntryNames.Initrds);
        foreach (string initrd in entry.Initrds) w.WriteStringValue(initrd);
        w.WriteEndArray();
        w.WriteString(EntryNames.Cmdline, entry.Cmdline);
        w.WriteString(EntryNames.Source, SourceName(entry.Source));
        w.WriteBoolean(EntryNames.Default, marks.IsDefault(entry));
        w.WriteBoolean(EntryNames.Running, marks.IsRunning(entry));
        w.WriteEndObject();
        if (w.BytesPending > ChunkBytes) w.Flush();
    }

    // An entry's property names, encoded once: a thousand entries checked and transcoded each name a thousand times.
    private static class EntryNames
    {
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
        public static readonly JsonEncodedText Kernel = JsonEncodedText.Encode("kernel");
        public static readonly JsonEncodedText Initrds = JsonEncodedText.Encode("initrds");
        public static readonly JsonEncodedText Cmdline = JsonEncodedText.Encode("cmdline");
        public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
        public static readonly JsonEncodedText Default = JsonEncodedText.Encode("default");
        public static readonly JsonEncodedText Running = JsonEncodedText.Encode("running");
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
