using System.Buffers.Binary;
using System.Text;

namespace Rekernel.Tests.Images;

/// <summary>
/// Builds small PE32+ files laid out as the PE/COFF specification says, to feed the section-table parser the
/// malformed and unusual cases real tools rarely write (long names, tables past the end, absurd counts).
/// </summary>
internal static class TinyPe
{
    public const int OptionalHeaderLength = 0xF0;
    private const int Lfanew = 0x40;
    private const int TableOffset = Lfanew + 4 + 20 + OptionalHeaderLength;

    /// <summary>A PE file with the given sections, their data stored one after another after the headers.</summary>
    /// <param name="longNames">Store names longer than 8 bytes in a COFF string table, as objcopy does.</param>
    public static byte[] Build(IReadOnlyList<(string Name, byte[] Data)> sections, bool longNames = true, ushort? countOverride = null)
    {
        int dataStart = Align(TableOffset + sections.Count * 40, 0x200);
        var strings = new MemoryStream();
        strings.Write(new byte[4]); // size field, patched below
        var file = new MemoryStream();
        file.Write(new byte[dataStart]);
        var headers = new List<(string Field, uint Va, uint Size, uint Raw, uint Ptr)>();
        uint va = 0x1000;
        foreach ((string name, byte[] data) in sections)
        {
            uint raw = (uint)Align(data.Length, 0x200);
            uint ptr = (uint)file.Length;
            file.Write(data);
            file.Write(new byte[raw - data.Length]);
            string field = name;
            if (name.Length > 8 && longNames)
            {
                field = "/" + strings.Length;
                strings.Write(Encoding.ASCII.GetBytes(name + "\0"));
            }
            headers.Add((field, va, (uint)data.Length, raw, ptr));
            va += (uint)Align(Math.Max(data.Length, 1), 0x1000);
        }
        uint symbolTable = 0;
        if (strings.Length > 4)
        {
            symbolTable = (uint)file.Length;
            byte[] s = strings.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)s.Length);
            file.Write(s);
        }

        byte[] bytes = file.ToArray();
        Span<byte> b = bytes;
        b[0] = (byte)'M';
        b[1] = (byte)'Z';
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x3C..], Lfanew);
        "PE\0\0"u8.CopyTo(b[Lfanew..]);
        Span<byte> coff = b[(Lfanew + 4)..];
        BinaryPrimitives.WriteUInt16LittleEndian(coff, 0x8664);
        BinaryPrimitives.WriteUInt16LittleEndian(coff[2..], countOverride ?? (ushort)sections.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(coff[8..], symbolTable);
        BinaryPrimitives.WriteUInt16LittleEndian(coff[16..], OptionalHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(coff[20..], 0x20B);
        for (int i = 0; i < headers.Count; i++)
        {
            Span<byte> h = b.Slice(TableOffset + i * 40, 40);
            byte[] name = Encoding.ASCII.GetBytes(headers[i].Field);
            name.AsSpan(0, Math.Min(8, name.Length)).CopyTo(h);
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], headers[i].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[12..], headers[i].Va);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], headers[i].Raw);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], headers[i].Ptr);
        }
        return bytes;
    }

    /// <summary>The file offset of the first section header.</summary>
    public static int SectionTableOffset => TableOffset;

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
