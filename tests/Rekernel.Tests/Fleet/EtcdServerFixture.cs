namespace Rekernel.Tests.Fleet;

/// <summary>One etcd for a test class; each test uses its own keys.</summary>
public sealed class EtcdServerFixture : IDisposable
{
    public EtcdServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
