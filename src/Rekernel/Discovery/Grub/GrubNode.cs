namespace Rekernel.Discovery.Grub;

/// <summary>A statement of a parsed GRUB script.</summary>
internal abstract record GrubNode(int Line);
