using CsCheck;
using System.Buffers.Binary;
using System.Text;
using Rekernel.Images;

namespace Rekernel.Tests.Images;

public sealed class PeFileTests
{
    private static byte[] Text(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void UkiSections_GiveExactPayloadSpans_NotThePaddedRawSize()
    {
        byte[] file = TinyPe.Build([(".osrel", Text("ID=debian\n")), (".cmdline", Text("root=/dev/vda ro")), (".linux", new byte[3000])]);

        PeParseResult result = PeFile.Parse(file);

        Assert.True(result.IsValid, result.Problem);
        PeSections sections = result.Sections!;
        Assert.Equal([".osrel", ".cmdline", ".linux"], sections.All.Select(s => s.Name));
        FileSpan cmdline = sections.SpanOf(".cmdline")!.Value;
        Assert.Equal(16, cmdline.Length);
        Assert.Equal("root=/dev/vda ro", Encoding.ASCII.GetString(file, (int)cmdline.Offset, (int)cmdline.Length));
        Assert.Equal(3000, sections.SpanOf(".linux")!.Value.Length);
        Assert.Null(sections.SpanOf(".initrd"));
        Assert.Equal((ushort)0x8664, sections.Machine);
    }

    [Fact]
    public void LongSectionName_KeepsItsSlashForm_AsSystemdStubComparesTheEightByteField()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10]), (".long-section-name", Text("x"))]);

        PeParseResult result = PeFile.Parse(file);

        Assert.True(result.IsValid, result.Problem);
        Assert.False(result.Sections!.Contains(".long-section-name"));
        Assert.StartsWith("/", result.Sections.All[1].Name);
    }

    [Fact]
    public void LongNameWithoutStringTable_KeepsTheSlashForm()
    {
        byte[] file = TinyPe.Build([("/99", new byte[10])], longNames: false);

        Assert.Equal("/99", PeFile.Parse(file).Sections!.All[0].Name);
    }

    [Fact]
    public void EightCharacterName_HasNoTerminator()
    {
        byte[] file = TinyPe.Build([(".sdmagic", Text("#### LoaderInfo"))]);

        Assert.True(PeFile.Parse(file).Sections!.Contains(".sdmagic"));
    }

    [Fact]
    public void VirtualSizeLargerThanRawData_IsCutToWhatIsOnDisk()
    {
        byte[] file = TinyPe.Build([(".bss", new byte[16])]);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(TinyPe.SectionTableOffset + 8), 0x100000);

        Assert.Equal(0x200, PeFile.Parse(file).Sections!.SpanOf(".bss")!.Value.Length);
    }

    [Fact]
    public void EmptyFile_IsNotAPeFile()
    {
        Assert.Equal("not a PE file: the file is empty", PeFile.Parse([]).Problem);
    }

    [Fact]
    public void ShortFile_IsTooShortForADosHeader()
    {
        Assert.Contains("too short for a DOS header", PeFile.Parse(Text("MZ")).Problem);
    }

    [Fact]
    public void Bzimage_WithoutMz_IsNotAPeFile()
    {
        Assert.Equal("not a PE file: no MZ magic", PeFile.Parse(FakeKernel.Image(FakeKernel.Banner("6.1.0"))).Problem);
    }

    [Fact]
    public void PeHeaderOffsetPastTheEnd_IsAReason()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])]);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(0x3C), 0xFFFFFFF0);

        Assert.Equal("not a PE file: the PE header offset 0xFFFFFFF0 is past the end of the file", PeFile.Parse(file).Problem);
    }

    [Fact]
    public void MissingPeSignature_IsAReason()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])]);
        file[0x40] = (byte)'X';

        Assert.Equal("not a PE file: no PE signature", PeFile.Parse(file).Problem);
    }

    [Fact]
    public void SectionTablePastTheEnd_IsAReason()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])], countOverride: 90);

        Assert.StartsWith("not a usable PE image: Invalid number of sections", PeFile.Parse(file[..0x400]).Problem);
    }

    [Fact]
    public void HugeSectionCount_IsRefused()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])], countOverride: ushort.MaxValue);
        Assert.StartsWith("not a usable PE image: Invalid number of sections", PeFile.Parse(file).Problem);

        byte[] hundred = TinyPe.Build([.. Enumerable.Range(0, 100).Select(i => ($".s{i}", new byte[1]))]);
        Assert.Equal("not a usable PE image: 100 sections is more than the 96 a PE loader accepts", PeFile.Parse(hundred).Problem);
    }

    [Fact]
    public void ZeroSections_IsAReason()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])], countOverride: 0);

        Assert.Contains("no sections", PeFile.Parse(file).Problem);
    }

    [Fact]
    public void TruncatedUki_SectionDataPastTheEnd_IsAReason()
    {
        byte[] file = TinyPe.Build([(".osrel", Text("ID=arch\n")), (".linux", new byte[5000])]);

        string? problem = PeFile.Parse(file[..(file.Length - 2000)]).Problem;

        Assert.Contains("section .linux", problem);
        Assert.Contains("truncated", problem);
    }

    [Fact]
    public void MissingOptionalHeader_IsAReason()
    {
        byte[] file = TinyPe.Build([(".linux", new byte[10])]);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x40 + 4 + 20), 0x1234);

        Assert.StartsWith("not a usable PE image: Unknown PE Magic value", PeFile.Parse(file).Problem);
    }

    [Fact]
    public void RandomMutations_NeverThrow()
    {
        byte[] valid = TinyPe.Build([(".osrel", Text("ID=debian\n")), (".a-long-section-name", Text("x")), (".linux", new byte[700])]);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]).Sample((at, value, cut) =>
        {
            byte[] copy = (byte[])valid.Clone();
            copy[at] = value;
            _ = PeFile.Parse(copy[..cut]);
        }, iter: 5000);
        Gen.Byte.Array[0, 1024].Sample(bytes => { _ = PeFile.Parse(bytes); });
    }
}
