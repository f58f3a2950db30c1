namespace Rekernel.Discovery.Bls;

/// <summary>Which of systemd-boot's sources chose the default entry, in the order they are consulted.</summary>
public enum SystemdBootDefaultSource
{
    /// <summary>The <c>LoaderEntryOneShot</c> EFI variable.</summary>
    OneShot,
    /// <summary>The <c>LoaderEntryDefault</c> EFI variable (or <c>LoaderEntryLastBooted</c> when it says <c>@saved</c>).</summary>
    EfiDefault,
    /// <summary>loader.conf's <c>default</c> glob.</summary>
    ConfigPattern,
    /// <summary>loader.conf's <c>default @saved</c>: the <c>LoaderEntryLastBooted</c> EFI variable.</summary>
    Saved,
    /// <summary>Nothing matched: the first entry of the menu.</summary>
    FirstEntry,
}
