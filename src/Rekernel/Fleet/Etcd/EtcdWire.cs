using System.Text.Json.Serialization;

namespace Rekernel.Fleet.Etcd;

/// <summary>
/// The messages of etcd's v3 JSON gateway (grpc-gateway's mapping of etcdserverpb): keys and values are base64
/// (<c>byte[]</c>), int64 fields are strings, and fields at their default value are omitted in both directions —
/// a false <c>succeeded</c>, a zero <c>version</c> and an empty <c>kvs</c> are simply absent.
/// </summary>
public static class EtcdWire
{
    public sealed record Header([property: JsonPropertyName("revision")] long Revision);

    public sealed record KeyValue(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("value")] byte[]? Value,
        [property: JsonPropertyName("create_revision")] long CreateRevision,
        [property: JsonPropertyName("mod_revision")] long ModRevision,
        [property: JsonPropertyName("version")] long Version,
        [property: JsonPropertyName("lease")] long Lease);

    public sealed record RangeRequest(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("range_end")] byte[]? RangeEnd = null,
        [property: JsonPropertyName("revision")] long Revision = 0,
        [property: JsonPropertyName("count_only")] bool CountOnly = false,
        [property: JsonPropertyName("keys_only")] bool KeysOnly = false,
        [property: JsonPropertyName("limit")] long Limit = 0,
        [property: JsonPropertyName("sort_order")] string? SortOrder = null,
        [property: JsonPropertyName("sort_target")] string? SortTarget = null,
        [property: JsonPropertyName("max_create_revision")] long MaxCreateRevision = 0);

    public sealed record RangeResponse(
        [property: JsonPropertyName("header")] Header? Header,
        [property: JsonPropertyName("kvs")] KeyValue[]? Kvs,
        [property: JsonPropertyName("count")] long Count);

    public sealed record PutRequest(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("value")] byte[] Value,
        [property: JsonPropertyName("lease")] long Lease = 0);

    public sealed record PutResponse([property: JsonPropertyName("header")] Header? Header);

    public sealed record DeleteRangeRequest(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("range_end")] byte[]? RangeEnd = null);

    public sealed record DeleteRangeResponse(
        [property: JsonPropertyName("header")] Header? Header,
        [property: JsonPropertyName("deleted")] long Deleted);

    /// <summary>One condition of a transaction; <c>result</c> and <c>target</c> are enum names, which the gateway accepts as strings.</summary>
    public sealed record Compare(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("result")] string Result,
        [property: JsonPropertyName("target")] string Target,
        [property: JsonPropertyName("version")] long? Version = null,
        [property: JsonPropertyName("mod_revision")] long? ModRevision = null);

    public sealed record RequestOp(
        [property: JsonPropertyName("request_range")] RangeRequest? RequestRange = null,
        [property: JsonPropertyName("request_put")] PutRequest? RequestPut = null,
        [property: JsonPropertyName("request_delete_range")] DeleteRangeRequest? RequestDeleteRange = null);

    public sealed record ResponseOp(
        [property: JsonPropertyName("response_range")] RangeResponse? ResponseRange,
        [property: JsonPropertyName("response_put")] PutResponse? ResponsePut,
        [property: JsonPropertyName("response_delete_range")] DeleteRangeResponse? ResponseDeleteRange);

    public sealed record TxnRequest(
        [property: JsonPropertyName("compare")] Compare[] Compare,
        [property: JsonPropertyName("success")] RequestOp[] Success,
        [property: JsonPropertyName("failure")] RequestOp[] Failure);

    public sealed record TxnResponse(
        [property: JsonPropertyName("header")] Header? Header,
        [property: JsonPropertyName("succeeded")] bool Succeeded,
        [property: JsonPropertyName("responses")] ResponseOp[]? Responses);

    public sealed record LeaseGrantRequest([property: JsonPropertyName("TTL")] long Ttl);

    public sealed record LeaseGrantResponse(
        [property: JsonPropertyName("ID")] long Id,
        [property: JsonPropertyName("TTL")] long Ttl,
        [property: JsonPropertyName("error")] string? Error);

    public sealed record LeaseKeepAliveRequest([property: JsonPropertyName("ID")] long Id);

    public sealed record LeaseKeepAliveResult([property: JsonPropertyName("ID")] long Id, [property: JsonPropertyName("TTL")] long Ttl);

    /// <summary>The keep-alive endpoint streams; one request gives one <c>result</c> line.</summary>
    public sealed record LeaseKeepAliveResponse([property: JsonPropertyName("result")] LeaseKeepAliveResult? Result);

    public sealed record AuthenticateRequest([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("password")] string Password);

    public sealed record AuthenticateResponse([property: JsonPropertyName("token")] string? Token);

    /// <summary>A watch on a key (or range) from a revision; <c>filters</c> names event types left out ("NOPUT", "NODELETE").</summary>
    public sealed record WatchCreateRequest(
        [property: JsonPropertyName("key")] byte[] Key,
        [property: JsonPropertyName("range_end")] byte[]? RangeEnd,
        [property: JsonPropertyName("start_revision")] long StartRevision,
        [property: JsonPropertyName("filters")] string[]? Filters = null);

    public sealed record WatchRequest([property: JsonPropertyName("create_request")] WatchCreateRequest CreateRequest);

    /// <summary>One change; <c>type</c> is absent for a put (the enum's default) and "DELETE" for a delete.</summary>
    public sealed record Event([property: JsonPropertyName("type")] string? Type, [property: JsonPropertyName("kv")] KeyValue? Kv);

    public sealed record WatchResult(
        [property: JsonPropertyName("header")] Header? Header,
        [property: JsonPropertyName("events")] Event[]? Events,
        [property: JsonPropertyName("compact_revision")] long CompactRevision,
        [property: JsonPropertyName("canceled")] bool Canceled = false);

    /// <summary>The watch endpoint streams one of these per line.</summary>
    public sealed record WatchResponse([property: JsonPropertyName("result")] WatchResult? Result);

    /// <summary>What the gateway answers instead of a message when the call failed (3.4 says <c>error</c>, 3.5+ <c>message</c>).</summary>
    public sealed record ErrorResponse(
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("code")] int Code);
}
