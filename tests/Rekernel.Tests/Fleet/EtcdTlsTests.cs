using Rekernel.Tests.Cli;

namespace Rekernel.Tests.Fleet;

/// <summary><c>rekernel fleet</c> against an etcd that requires client certificates.</summary>
public sealed class EtcdTlsTests : IClassFixture<TlsEtcdFixture>
{
    private readonly TlsEtcdFixture _tls;

    public EtcdTlsTests(TlsEtcdFixture fixture) => _tls = fixture;

    private (int Code, string Out, string Err) Fleet(string certificate, params string[] args) =>
        ReadOnlyCli.Run(["fleet", .. args, "--etcd", _tls.Server.Endpoint.ToString(), "--etcd-ca", _tls.File("ca.pem"),
            "--etcd-cert", _tls.File($"{certificate}.pem"), "--etcd-key", _tls.File($"{certificate}.key")]);

    [Fact]
    public void ClientCertificateOfTheCa_InitsAndReadsAGroup()
    {
        var init = Fleet("client", "init", "secure", "--max-concurrent", "3");
        Assert.Equal((0, "group secure: max_concurrent 3, slices none, switch timeout 1800 s.\n", ""), init);
        var status = Fleet("client", "status", "--group", "secure");
        Assert.Equal(0, status.Code);
        Assert.StartsWith("Group secure: max_concurrent 3, slices none, switch timeout 1800 s\nHalted:  no\nSlots:   0 held\n", status.Out);
    }

    [Fact]
    public void ClientCertificateOfAnotherCa_IsRefusedInOneSentence_WithExitCode12()
    {
        var (code, output, error) = Fleet("wrong", "init", "refused", "--max-concurrent", "1");
        Assert.Equal(12, code);
        Assert.Equal("", output);
        Assert.Equal($"rekernel: cannot reach etcd at {_tls.Server.Endpoint.GetLeftPart(UriPartial.Authority)} (etcd closed the connection, as it does when it does not accept the client certificate: is it signed by a CA in etcd's --trusted-ca-file?); check that etcd runs and the endpoints (--etcd, endpoints in rekernel.conf's [fleet]) and TLS files are right.\n", error);
    }

    [Theory]
    // OpenSSL 3 (Debian 12): "error:0A000412:SSL routines::sslv3 alert bad certificate", as etcd 3.4 answered here.
    [InlineData(0x0A000412, true)]
    // OpenSSL 1.1 (RHEL 8): "error:14094412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate".
    [InlineData(0x14094412, true)]
    // OpenSSL 1.1: "error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca".
    [InlineData(0x14094418, true)]
    // OpenSSL 3: "error:0A00045C:SSL routines::tlsv13 alert certificate required".
    [InlineData(0x0A00045C, true)]
    // OpenSSL 3: "error:0A000086:SSL routines::certificate verify failed" (the client's own check of the server).
    [InlineData(0x0A000086, false)]
    // OpenSSL 3: "error:0A00042E:SSL routines::tlsv1 alert protocol version" (an alert, not about a certificate).
    [InlineData(0x0A00042E, false)]
    public void CertificateAlertFromEtcd_UnderEitherOpenSsl_IsTakenForARefusedClientCertificate(int code, bool refused) =>
        Assert.Equal(refused, Rekernel.Fleet.Etcd.EtcdClient.IsCertificateAlert(code));
}
