namespace Rekernel.Tests.Images;

public sealed class FixtureKernelsTests
{
    [Fact]
    public void FixtureKernels_AreWhatFakeKernelWrites()
    {
        bool regenerate = Environment.GetEnvironmentVariable("REKERNEL_REGEN_FIXTURES") == "1";
        foreach ((string path, string banner) in FixtureKernels.All)
        {
            string host = Path.Combine(TestPaths.Fixtures, path);
            byte[] expected = FakeKernel.Image(banner);
            if (regenerate) FakeKernel.Write(host, "", banner);
            Assert.True(File.Exists(host), $"{path} is missing: run the tests with REKERNEL_REGEN_FIXTURES=1");
            Assert.Equal(expected, File.ReadAllBytes(host));
        }
    }
}
