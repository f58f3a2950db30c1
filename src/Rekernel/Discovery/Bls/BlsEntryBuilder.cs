namespace Rekernel.Discovery.Bls;

/// <summary>The keys of an entry file collected line by line; last value wins, repeated keys accumulate.</summary>
internal sealed class BlsEntryBuilder
{
    public string? Title { get; set; }
    public string? Version { get; set; }
    public string? MachineId { get; set; }
    public string? SortKey { get; set; }
    public string? Linux { get; set; }
    public string? Efi { get; set; }
    public string? Devicetree { get; set; }
    public string? Architecture { get; set; }
    public int LoaderLine { get; set; }
    public List<string> Initrds { get; } = [];
    public List<string> Options { get; } = [];
    public List<string> Overlays { get; } = [];
}
