using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace Rekernel.Images;

/// <summary>
/// Reads the section table of a PE/COFF file (an EFI application such as a Unified Kernel Image) without
/// reading the sections themselves: only the DOS header, the COFF header and the section table are read, so a
/// 100 MB UKI costs a few kilobytes. Never throws on malformed input; every read is bounded by the file length.
/// </summary>
public static class PeFile
{
    /// <summary>systemd-stub refuses more (src/boot/efi/pe.c, MAX_SECTIONS); so does the Windows loader.</summary>
    public const int MaxSections = 96;

    private const int DosHeaderLength = 0x40;
    private const int LfanewOffset = 0x3C;
    private const int CoffHeaderLength = 20;
    private const int SectionHeaderLength = 40;
    private const int SymbolLength = 18;
    private const ushort Pe32Magic = 0x10B;
    private const ushort Pe32PlusMagic = 0x20B;
    private const int MaxLongNameLength = 64;

    /// <summary>Reads the section table of the PE file in a seekable stream.</summary>
    public static PeParseResult Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadTable(stream);
        }
        catch (IOException e)
        {
            return PeParseResult.Fail($"cannot read the file: {e.Message}");
        }
    }

    /// <summary>Reads the section table of a PE file held in memory.</summary>
    public static PeParseResult Parse(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = new MemoryStream(file, writable: false);
        return Read(stream);
    }

    private static PeParseResult ReadTable(Stream stream)
    {
        long length = stream.Length;
        if (length == 0) return PeParseResult.Fail("not a PE file: the file is empty");
        if (ReadAt(stream, 0, DosHeaderLength) is not { } dos)
            return PeParseResult.Fail($"not a PE file: {length} bytes is too short for a DOS header");
        if (dos[0] != 'M' || dos[1] != 'Z') return PeParseResult.Fail("not a PE file: no MZ magic");

        uint lfanew = BinaryPrimitives.ReadUInt32LittleEndian(dos.AsSpan(LfanewOffset));
        if (ReadAt(stream, lfanew, 4 + CoffHeaderLength + 2) is not { } pe)
            return PeParseResult.Fail($"not a PE file: the PE header offset 0x{lfanew:X} is past the end of the file");
        if (!pe.AsSpan(0, 4).SequenceEqual("PE\0\0"u8)) return PeParseResult.Fail("not a PE file: no PE signature");

        ReadOnlySpan<byte> coff = pe.AsSpan(4, CoffHeaderLength);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(coff);
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(coff[2..]);
        uint symbolTable = BinaryPrimitives.ReadUInt32LittleEndian(coff[8..]);
        uint symbolCount = BinaryPrimitives.ReadUInt32LittleEndian(coff[12..]);
        ushort optionalLength = BinaryPrimitives.ReadUInt16LittleEndian(coff[16..]);
        ushort optionalMagic = BinaryPrimitives.ReadUInt16LittleEndian(pe.AsSpan(4 + CoffHeaderLength));

        if (optionalLength < 2 || (optionalMagic != Pe32Magic && optionalMagic != Pe32PlusMagic))
            return PeParseResult.Fail("not a PE image: no PE32 or PE32+ optional header");
        if (count == 0) return PeParseResult.Fail("not a usable PE image: it has no sections");
        if (count > MaxSections)
            return PeParseResult.Fail($"not a usable PE image: {count} sections is more than the {MaxSections} a PE loader accepts");

        long tableOffset = (long)lfanew + 4 + CoffHeaderLength + optionalLength;
        if (ReadAt(stream, tableOffset, count * SectionHeaderLength) is not { } table)
            return PeParseResult.Fail($"not a usable PE image: its section table (0x{tableOffset:X}, {count} sections) runs past the end of the file");

        long stringTable = symbolTable == 0 ? -1 : symbolTable + (long)symbolCount * SymbolLength;
        var sections = ImmutableArray.CreateBuilder<PeSection>(count);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> h = table.AsSpan(i * SectionHeaderLength, SectionHeaderLength);
            var section = new PeSection(
                SectionName(stream, h[..8], stringTable),
                VirtualAddress: BinaryPrimitives.ReadUInt32LittleEndian(h[12..]),
                VirtualSize: BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
                PointerToRawData: BinaryPrimitives.ReadUInt32LittleEndian(h[20..]),
                SizeOfRawData: BinaryPrimitives.ReadUInt32LittleEndian(h[16..]));
            if (section.Span.Length > 0 && section.Span.Offset + section.Span.Length > length)
                return PeParseResult.Fail($"not a usable PE image: section {section.Name} ({section.Span.Length} bytes at 0x{section.Span.Offset:X}) runs past the end of the file ({length} bytes); the file is truncated");
            sections.Add(section);
        }
        return new PeParseResult(new PeSections(machine, sections.MoveToImmutable()), null);
    }

    // A name of 8 bytes or fewer is stored inline, NUL-padded; a longer one is "/N", N a decimal offset into the
    // COFF string table that follows the symbol table (objcopy writes it this way).
    private static string SectionName(Stream stream, ReadOnlySpan<byte> raw, long stringTable)
    {
        int end = raw.IndexOf((byte)0);
        string inline = Encoding.ASCII.GetString(end < 0 ? raw : raw[..end]);
        if (inline.Length < 2 || inline[0] != '/' || stringTable < 0) return inline;
        if (!uint.TryParse(inline.AsSpan(1), System.Globalization.NumberStyles.None, null, out uint offset)) return inline;

        long at = stringTable + offset;
        int want = (int)Math.Min(MaxLongNameLength, Math.Max(0, stream.Length - at));
        if (want == 0 || ReadAt(stream, at, want) is not { } bytes) return inline;
        int nul = Array.IndexOf(bytes, (byte)0);
        return nul < 0 ? inline : Encoding.ASCII.GetString(bytes, 0, nul);
    }

    /// <summary>Exactly <paramref name="count"/> bytes at <paramref name="offset"/>, or null when they are not all in the file.</summary>
    internal static byte[]? ReadAt(Stream stream, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset > stream.Length - count) return null;
        var buffer = new byte[count];
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        return buffer;
    }
}
