using System.Diagnostics;
using System.Text;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using CloudNativeApp.LambdaHosting;
using CloudNativeApp.Observability;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace CloudNativeApp.Tests.Observability;

/// <summary>
/// The app with tracing on (an OTLP endpoint is set, as in production, but its exporters are <c>none</c>) and spans
/// kept by OpenTelemetry's in-memory exporter; EMF lines go to a buffer instead of stdout. With a Runtime API address
/// the app is served by the real Lambda server from it; otherwise by the test server (as on Kestrel).
/// </summary>
internal sealed class ObservedApp(string? runtimeApi = null, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    private readonly List<Activity> _spans = [];
    private readonly MemoryStream _emf = new();

    /// <summary>Spans exported so far (the listener is process-wide, so filter by trace id).</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>The EMF lines written so far.</summary>
    public IReadOnlyList<string> EmfLines
    {
        get
        {
            lock (_emf)
            {
                return Encoding.UTF8.GetString(_emf.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>Starts the host; in Lambda mode it then polls the Runtime API.</summary>
    public ObservedApp Start()
    {
        if (runtimeApi is not null)
        {
            // Not TestServer: WebApplicationFactory then keeps the IServer the app registers, here the Lambda one.
            UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            StartServer();
        }
        else
        {
            CreateClient().Dispose();
        }

        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.UseSetting("Items:Store", "InMemory");

        // A discard port that is never dialled: the exporters are off, the in-memory one below is added.
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        builder.UseSetting("OTEL_TRACES_EXPORTER", "none");
        builder.UseSetting("OTEL_METRICS_EXPORTER", "none");
        builder.UseSetting(ObservabilityServices.EmfMetricsKey, "true");
        if (runtimeApi is not null)
        {
            builder.UseSetting(LambdaHostingServiceCollectionExtensions.RuntimeApiVariable, runtimeApi);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new LockedCollection(_spans)));
            services.RemoveAll<EmfOutput>();
            services.AddSingleton(new EmfOutput(new LockedStream(_emf)));

            // dynalite and the refused endpoint check no signatures; CI machines have no credentials.
            services.AddSingleton(provider =>
            {
                var options = provider.GetRequiredService<IConfiguration>().GetAWSOptions();
                options.Credentials = new BasicAWSCredentials("local", "local");
                return options;
            });
        });
    }

    // Registered last (after the factory's Kestrel), the way AddLambdaHosting replaces the server in Lambda.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (runtimeApi is not null)
        {
            builder.ConfigureServices(services => services.AddLambdaServer(runtimeApi));
        }

        return base.CreateHost(builder);
    }

    /// <summary>The in-memory exporter adds from the exporting thread; tests read from theirs.</summary>
    private sealed class LockedCollection(List<Activity> inner) : ICollection<Activity>
    {
        public int Count { get { lock (inner) { return inner.Count; } } }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (inner)
            {
                inner.Add(item);
            }
        }

        public void Clear()
        {
            lock (inner)
            {
                inner.Clear();
            }
        }

        public bool Contains(Activity item) { lock (inner) { return inner.Contains(item); } }

        public void CopyTo(Activity[] array, int arrayIndex) { lock (inner) { inner.CopyTo(array, arrayIndex); } }

        public bool Remove(Activity item) { lock (inner) { return inner.Remove(item); } }

        public IEnumerator<Activity> GetEnumerator() { lock (inner) { return inner.ToList().GetEnumerator(); } }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class LockedStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (inner)
            {
                inner.Write(buffer, offset, count);
            }
        }
    }
}

/// <summary>Telemetry of an invocation is written after its response is posted: tests wait for it, up to 30 s.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<T?> read, string failure)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (read() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
