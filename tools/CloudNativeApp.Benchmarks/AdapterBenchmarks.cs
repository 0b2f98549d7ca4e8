using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace CloudNativeApp.Benchmarks;

/// <summary>
/// One invocation through the adapter, event bytes in → response bytes out: detect the source, translate the
/// request, run a trivial app, write the response JSON. No Runtime API, no host, no network.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class AdapterBenchmarks
{
    private static readonly byte[] ResponseBody = """{"result":3}"""u8.ToArray();

    // The benchmark runs one invocation at a time, as Lambda does, so one scratch buffer serves every request.
    private static readonly byte[] RequestScratch = new byte[16 * 1024];

    private readonly ArrayBufferWriter<byte> response = new(16 * 1024);
    private LambdaHttpInvoker<DefaultHttpContext> invoker = null!;
    private byte[] smallGet = [];
    private byte[] post4KB = [];
    private int lastRequestBytes;

    [Params(LambdaEventSource.RestApi, LambdaEventSource.HttpApi)]
    public LambdaEventSource Source { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        invoker = LambdaHttpInvoker.Create(TrivialAppAsync);
        smallGet = BenchmarkEvents.SmallGet(Source);
        post4KB = BenchmarkEvents.Post4KB(Source);

        // Measure the path that works: both events must come back as 200 with the app's body.
        foreach (var (name, eventJson, expectedRequestBytes) in new[] { ("GET", smallGet, 0), ("POST", post4KB, BenchmarkEvents.PostBodyBytes) })
        {
            response.ResetWrittenCount();
            lastRequestBytes = -1;
            var kind = invoker.InvokeAsync(eventJson, response).AsTask().GetAwaiter().GetResult();
            var json = BenchmarkEvents.ParseResponse(response.WrittenSpan);
            if (kind != LambdaInvocationKind.HttpResponse || json.GetProperty("statusCode").GetInt32() != 200
                || json.GetProperty("body").GetString() != """{"result":3}""" || lastRequestBytes != expectedRequestBytes)
            {
                throw new InvalidOperationException($"{Source} {name}: unexpected response {System.Text.Encoding.UTF8.GetString(response.WrittenSpan)} (app read {lastRequestBytes} body bytes)");
            }
        }
    }

    [Benchmark(Description = "GET /calculator/add/1/2")]
    public ValueTask<LambdaInvocationKind> SmallGet()
    {
        response.ResetWrittenCount();
        return invoker.InvokeAsync(smallGet, response);
    }

    [Benchmark(Description = "POST /items, 4 KB JSON")]
    public ValueTask<LambdaInvocationKind> Post4KB()
    {
        response.ResetWrittenCount();
        return invoker.InvokeAsync(post4KB, response);
    }

    /// <summary>The app: read the request body (as any app would), answer with a small JSON document.</summary>
    private async Task TrivialAppAsync(HttpContext context)
    {
        var total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(RequestScratch)) > 0)
        {
            total += read;
        }

        lastRequestBytes = total;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = ResponseBody.Length;
        await context.Response.Body.WriteAsync(ResponseBody);
    }
}
