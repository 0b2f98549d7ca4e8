namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>What the application saw of a request, copied while it ran (the features are reused afterwards).</summary>
internal sealed record SeenRequest(
    string Method,
    string Scheme,
    string Host,
    string PathBase,
    string Path,
    string QueryString,
    string RawTarget,
    string Protocol,
    IReadOnlyDictionary<string, string[]> Query,
    IReadOnlyDictionary<string, string[]> Headers,
    byte[] Body,
    long? ContentLength,
    string? RemoteIp,
    int LocalPort,
    ClaimsPrincipal User,
    string TraceIdentifier,
    string? ClientCertificateSubject,
    int RawEventLength,
    JsonValueKind EventKind,
    LambdaEventSource? Source)
{
    public string Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join("|", values) : "<absent>";
}

internal sealed record Translated(LambdaInvocationKind Kind, JsonElement Response, SeenRequest? Request)
{
    public int StatusCode => Response.GetProperty("statusCode").GetInt32();

    public string Body => Response.GetProperty("body").GetString()!;

    public bool IsBase64Encoded => Response.GetProperty("isBase64Encoded").GetBoolean();

    public byte[] BodyBytes => IsBase64Encoded ? Convert.FromBase64String(Body) : System.Text.Encoding.UTF8.GetBytes(Body);
}

/// <summary>Runs events through <see cref="LambdaHttpInvoker"/> in process, recording what the app saw.</summary>
internal static class Translate
{
    public static async Task<Translated> InvokeAsync(
        byte[] eventJson,
        RequestDelegate? respond = null,
        LambdaHostingOptions? options = null,
        ILambdaContext? lambdaContext = null,
        CancellationToken cancellationToken = default)
    {
        SeenRequest? seen = null;
        var invoker = LambdaHttpInvoker.Create(async context =>
        {
            seen = await SeeAsync(context);
            if (respond is not null)
            {
                await respond(context);
            }
        }, options);
        return await InvokeAsync(invoker, eventJson, lambdaContext, () => seen, cancellationToken);
    }

    public static async Task<Translated> InvokeAsync<TContext>(
        LambdaHttpInvoker<TContext> invoker,
        byte[] eventJson,
        ILambdaContext? lambdaContext = null,
        Func<SeenRequest?>? seen = null,
        CancellationToken cancellationToken = default)
        where TContext : notnull
    {
        var output = new ArrayBufferWriter<byte>();
        var kind = await invoker.InvokeAsync(eventJson, output, lambdaContext, cancellationToken);
        var response = output.WrittenCount == 0 ? default : JsonDocument.Parse(output.WrittenMemory).RootElement.Clone();
        return new Translated(kind, response, seen?.Invoke());
    }

    private static async Task<SeenRequest> SeeAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        request.Body.Position = 0; // the app under test reads it again
        var eventFeature = context.GetLambdaEvent();
        return new SeenRequest(
            request.Method,
            request.Scheme,
            request.Host.Value ?? "",
            request.PathBase.Value ?? "",
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
            request.Protocol,
            request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.Select(value => value ?? "").ToArray()),
            request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.Select(value => value ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            request.ContentLength,
            context.Connection.RemoteIpAddress?.ToString(),
            context.Connection.LocalPort,
            context.User,
            context.TraceIdentifier,
            context.Connection.ClientCertificate?.Subject,
            eventFeature?.RawEvent.Length ?? 0,
            eventFeature?.ParsedEvent.ValueKind ?? JsonValueKind.Undefined,
            eventFeature?.Source);
    }
}
