namespace Rekernel.Discovery.Grub;

/// <summary>The menu item GRUB boots when nobody touches the keyboard, and whether <c>default</c> named it.</summary>
/// <param name="Item">Null only for an empty menu.</param>
/// <param name="FellBack">True when <c>default</c> was unset or named nothing, so GRUB took the first item.</param>
public readonly record struct GrubDefault(GrubMenuItem? Item, bool FellBack);
