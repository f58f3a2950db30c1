using System.Text.Json.Serialization;

namespace Rekernel.Fleet.Etcd;

/// <summary>Source-generated (reflection-free, so NativeAOT-clean) serialisation of the gateway's messages; int64 travel as strings.</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(EtcdWire.RangeRequest))]
[JsonSerializable(typeof(EtcdWire.RangeResponse))]
[JsonSerializable(typeof(EtcdWire.PutRequest))]
[JsonSerializable(typeof(EtcdWire.PutResponse))]
[JsonSerializable(typeof(EtcdWire.DeleteRangeRequest))]
[JsonSerializable(typeof(EtcdWire.DeleteRangeResponse))]
[JsonSerializable(typeof(EtcdWire.TxnRequest))]
[JsonSerializable(typeof(EtcdWire.TxnResponse))]
[JsonSerializable(typeof(EtcdWire.LeaseGrantRequest))]
[JsonSerializable(typeof(EtcdWire.LeaseGrantResponse))]
[JsonSerializable(typeof(EtcdWire.LeaseKeepAliveRequest))]
[JsonSerializable(typeof(EtcdWire.LeaseKeepAliveResponse))]
[JsonSerializable(typeof(EtcdWire.AuthenticateRequest))]
[JsonSerializable(typeof(EtcdWire.AuthenticateResponse))]
[JsonSerializable(typeof(EtcdWire.ErrorResponse))]
[JsonSerializable(typeof(EtcdWire.WatchRequest))]
[JsonSerializable(typeof(EtcdWire.WatchResponse))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
