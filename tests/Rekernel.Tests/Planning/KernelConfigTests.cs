using Rekernel.Planning;
using Rekernel.Machine;

namespace Rekernel.Tests.Planning;

public sealed class KernelConfigTests
{
    private const string Release = "6.1.0-53-amd64";

    private static KernelConfig Config(string text)
    {
        var tree = new TempBootTree();
        try
        {
            tree.Text($"/boot/config-{Release}", text);
            return KernelConfig.Read(tree.Root, Release);
        }
        finally { tree.Dispose(); }
    }

    [Fact]
    public void DebianConfig_KexecFileBuiltIn_IsEnabled()
    {
        KernelConfig config = Config("#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\nCONFIG_KEXEC_SIG=y\n");
        Assert.True(config.IsEnabled("CONFIG_KEXEC_FILE"));
        Assert.Equal($"/boot/config-{Release}", config.Source);
    }

    [Fact]
    public void OptionAsModule_IsEnabled() => Assert.True(Config("CONFIG_VIRTIO_BLK=m\n").IsEnabled("CONFIG_VIRTIO_BLK"));

    [Fact]
    public void OptionNotSet_IsDisabled() => Assert.False(Config("CONFIG_KEXEC=y\n# CONFIG_KEXEC_FILE is not set\n").IsEnabled("CONFIG_KEXEC_FILE"));

    [Fact]
    public void LongerOptionWithTheSamePrefix_DoesNotCount()
    {
        // CONFIG_KEXEC_FILE=y must not make CONFIG_KEXEC look set, nor the other way round.
        KernelConfig config = Config("CONFIG_KEXEC_FILE=y\nCONFIG_KEXEC_SIG=y\n# CONFIG_KEXEC is not set\n");
        Assert.False(config.IsEnabled("CONFIG_KEXEC"));
        Assert.True(config.IsEnabled("CONFIG_KEXEC_FILE"));
    }

    [Fact]
    public void OptionInsideAnotherLine_DoesNotCount()
    {
        KernelConfig config = Config("CONFIG_CMDLINE=\"x CONFIG_KEXEC_FILE=y\"\nCONFIG_XCONFIG_KEXEC_FILE=y\n# CONFIG_KEXEC_FILE is not set\n");
        Assert.False(config.IsEnabled("CONFIG_KEXEC_FILE"));
    }

    [Fact]
    public void LastLineWithoutNewlineAndCrlfLines_AreRead()
    {
        Assert.True(Config("CONFIG_A=n\r\nCONFIG_KEXEC_FILE=y").IsEnabled("CONFIG_KEXEC_FILE"));
        Assert.True(Config("CONFIG_KEXEC_FILE=y\r\nCONFIG_B=y\r\n").IsEnabled("CONFIG_KEXEC_FILE"));
        Assert.False(Config("CONFIG_KEXEC_FILE=n\nCONFIG_KEXEC_FILE=y\n").IsEnabled("CONFIG_KEXEC_FILE"));
    }

    [Fact]
    public void NoConfigAnywhere_IsUnknown()
    {
        using var tree = new TempBootTree();
        KernelConfig config = KernelConfig.Read(tree.Root, Release);
        Assert.Null(config.IsEnabled("CONFIG_KEXEC_FILE"));
        Assert.Null(config.Source);
    }

    [Fact]
    public void FullSizeDistributionConfig_FindsOptionsAnywhere()
    {
        // ~10,000 lines, the option last: the search must not stop early or get lost in the file.
        var lines = Enumerable.Range(0, 10_000).Select(i => i % 3 == 0 ? $"# CONFIG_OPTION_{i} is not set" : $"CONFIG_OPTION_{i}=y");
        KernelConfig config = Config(string.Join('\n', lines) + "\nCONFIG_KEXEC_FILE=y\n");
        Assert.True(config.IsEnabled("CONFIG_KEXEC_FILE"));
        Assert.True(config.IsEnabled("CONFIG_OPTION_1"));
        Assert.False(config.IsEnabled("CONFIG_OPTION_3"));
        Assert.False(config.IsEnabled("CONFIG_OPTION_10000"));
    }
}
