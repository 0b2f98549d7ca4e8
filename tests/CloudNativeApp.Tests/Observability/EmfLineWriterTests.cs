using System.Text;
using CloudNativeApp.Observability;

namespace CloudNativeApp.Tests.Observability;

/// <summary>The exact EMF line an invocation's measurements make, and that it goes out in one write.</summary>
public sealed class EmfLineWriterTests
{
    private static readonly EmfInstrument Request = new("m", "http.server.request.duration", "RequestDuration", EmfUnit.Milliseconds, 1000, hasRequestDimensions: true);
    private static readonly EmfInstrument DynamoDb = new("m", "db.client.operation.duration", "DynamoDb", EmfUnit.Milliseconds, 1000, nameTag: "db.operation.name");
    private static readonly EmfInstrument Outages = new("m", "items.store.outages", "StoreOutages", EmfUnit.Count, 1);

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1764650000000);

    [Fact]
    public void Several_values_of_a_duration_are_an_array_counts_are_summed_and_metrics_keep_their_first_order()
    {
        var invocation = new EmfInvocation();
        invocation.Add(DynamoDb, 12.5, [new("db.operation.name", "GetItem")]);
        invocation.Add(Outages, 1, [new("error.type", "HttpRequestException")]);
        invocation.Add(DynamoDb, 3.25, [new("db.operation.name", "PutItem")]);
        invocation.Add(DynamoDb, 7, [new("db.operation.name", "GetItem")]);
        invocation.Add(Outages, 1, []);
        invocation.Add(Request, 175.4, [new("http.route", "/items/{id}"), new("http.response.status_code", 503), new("http.request.method", "GET")]);

        var output = new WriteCountingStream();
        EmfLineWriter.Write(output, invocation, "fn", "8476a536-e9f4-11e8-9739-2dfe598c3fcd", Now);

        Assert.Equal(1, output.Writes);
        Assert.Equal(
            """{"_aws":{"Timestamp":1764650000000,"CloudWatchMetrics":[{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName"]],"Metrics":[{"Name":"DynamoDb.GetItem","Unit":"Milliseconds"},{"Name":"StoreOutages","Unit":"Count"},{"Name":"DynamoDb.PutItem","Unit":"Milliseconds"}]},{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName","Route","StatusCode"]],"Metrics":[{"Name":"RequestDuration","Unit":"Milliseconds"}]}]},"FunctionName":"fn","RequestId":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","Route":"/items/{id}","StatusCode":"503","DynamoDb.GetItem":[12.5,7],"StoreOutages":2,"DynamoDb.PutItem":3.25,"RequestDuration":175.4}""" + "\n",
            output.Text);
    }

    [Fact]
    public void A_request_without_route_or_status_is_unmatched_and_none_and_text_is_escaped()
    {
        var invocation = new EmfInvocation();
        invocation.Add(Request, 1, []);

        var output = new WriteCountingStream();
        EmfLineWriter.Write(output, invocation, "fn<\"x\">", "id", Now);

        Assert.Contains("""{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName","Route","StatusCode"]]""", output.Text, StringComparison.Ordinal);
        Assert.EndsWith(""","FunctionName":"fn\u003C\u0022x\u0022\u003E","RequestId":"id","Route":"unmatched","StatusCode":"none","RequestDuration":1}""" + "\n", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Directives_kept_from_the_previous_line_are_used_only_for_the_same_metrics()
    {
        string Line(params EmfInstrument[] instruments)
        {
            var invocation = new EmfInvocation();
            foreach (var instrument in instruments)
            {
                invocation.Add(instrument, 1, [new("db.operation.name", "GetItem")]);
            }

            var output = new WriteCountingStream();
            EmfLineWriter.Write(output, invocation, "fn", "id", Now);
            return output.Text;
        }

        const string requestOnly = """CloudWatchMetrics":[{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName","Route","StatusCode"]],"Metrics":[{"Name":"RequestDuration","Unit":"Milliseconds"}]}]}""";
        const string withOutage = """CloudWatchMetrics":[{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName"]],"Metrics":[{"Name":"StoreOutages","Unit":"Count"}]},{"Namespace":"CloudNativeApp","Dimensions":[["FunctionName","Route","StatusCode"]],"Metrics":[{"Name":"RequestDuration","Unit":"Milliseconds"}]}]}""";
        const string outageFirst = """Metrics":[{"Name":"StoreOutages","Unit":"Count"},{"Name":"DynamoDb.GetItem","Unit":"Milliseconds"}]}]}""";

        Assert.Contains(requestOnly, Line(Request), StringComparison.Ordinal);
        Assert.Contains(requestOnly, Line(Request), StringComparison.Ordinal);
        Assert.Contains(withOutage, Line(Outages, Request), StringComparison.Ordinal);
        Assert.Contains(withOutage, Line(Request, Outages), StringComparison.Ordinal);
        Assert.Contains(outageFirst, Line(Outages, DynamoDb), StringComparison.Ordinal);
        Assert.Contains("""Metrics":[{"Name":"DynamoDb.GetItem","Unit":"Milliseconds"},{"Name":"StoreOutages","Unit":"Count"}]}]}""", Line(DynamoDb, Outages), StringComparison.Ordinal);
        Assert.Contains("""Metrics":[{"Name":"DynamoDb.GetItem","Unit":"Milliseconds"}]}]}""", Line(DynamoDb), StringComparison.Ordinal);
        Assert.Contains(requestOnly, Line(Request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_written_at_once_on_several_threads_stay_apart()
    {
        var lines = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var invocation = new EmfInvocation();
            for (var call = 0; call <= i % 5; call++)
            {
                invocation.Add(DynamoDb, i, [new("db.operation.name", "Query")]);
            }

            var output = new WriteCountingStream();
            EmfLineWriter.Write(output, invocation, "fn", $"request-{i}", Now);
            return (i, output.Text);
        })));

        foreach (var (i, text) in lines)
        {
            var line = System.Text.Json.JsonDocument.Parse(text).RootElement;
            Assert.Equal($"request-{i}", line.GetProperty("RequestId").GetString());
            var values = line.GetProperty("DynamoDb.Query");
            Assert.Equal(i % 5 == 0 ? [(double)i] : Enumerable.Repeat((double)i, (i % 5) + 1), values.ValueKind == System.Text.Json.JsonValueKind.Array ? values.EnumerateArray().Select(v => v.GetDouble()) : [values.GetDouble()]);
        }
    }

    /// <summary>Counts the writes it is asked for (each overload on its own, neither calls the other).</summary>
    [Fact]
    public void More_than_a_hundred_values_of_a_metric_become_a_hundred_quantiles_with_the_smallest_and_largest()
    {
        // 250 GetItem durations, 1..250 ms, added out of order (an export reading 250 pages).
        var invocation = new EmfInvocation();
        foreach (var value in Enumerable.Range(1, 250).Select(v => (v * 7919 % 250) + 1))
        {
            invocation.Add(DynamoDb, value, [new("db.operation.name", "GetItem")]);
        }

        invocation.Add(DynamoDb, 5, [new("db.operation.name", "PutItem")]);
        var output = new WriteCountingStream();
        EmfLineWriter.Write(output, invocation, "fn", "id", Now);

        using var line = System.Text.Json.JsonDocument.Parse(output.Text);
        var values = line.RootElement.GetProperty("DynamoDb.GetItem").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(EmfLineWriter.MaxValuesPerMetric, values.Count);
        Assert.Equal(1, values[0]);
        Assert.Equal(250, values[^1]);
        Assert.Equal(values.Order(), values);
        Assert.InRange(values.Average(), 124.5, 126.5); // the 250 values average 125.5
        Assert.InRange(values[49], 120, 131); // the median stays the median
        Assert.Equal(5, line.RootElement.GetProperty("DynamoDb.PutItem").GetDouble());
    }

    private sealed class WriteCountingStream : Stream
    {
        private readonly MemoryStream _written = new();

        public int Writes { get; private set; }

        public string Text => Encoding.UTF8.GetString(_written.ToArray());

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            _written.Write(buffer);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
