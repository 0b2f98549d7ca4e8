namespace CloudNativeApp.Items;

/// <summary>
/// The body of <c>GET /items/export</c>: every unexpired item as newline-delimited JSON (one item per line, the JSON
/// of <c>GET /items/{id}</c>), read from the store one page at a time and flushed page by page, so memory holds one
/// page whatever the table's size. The first page is read before the status goes out, so a store outage is still a
/// 503 problem; a failure later cuts the response short (Kestrel aborts it, Lambda streaming sends its error
/// trailers), which NDJSON readers see as an incomplete last line.
/// </summary>
public sealed class ItemExport(string? category, IItemRepository repository, JsonTypeInfo<Item> itemJson) : IResult
{
    public const string MediaType = "application/x-ndjson";

    /// <summary>Items per store read: the largest page the list endpoint serves.</summary>
    public const int PageSize = ItemListQuery.MaxLimit;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var aborted = httpContext.RequestAborted;
        try
        {
            var page = await repository.ListAsync(category, PageSize, null, aborted);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MediaType;
            var body = response.BodyWriter;
            using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = itemJson.Options.Encoder, SkipValidation = true });
            while (true)
            {
                foreach (var item in page.Items)
                {
                    JsonSerializer.Serialize(writer, item, itemJson);
                    writer.Flush();
                    writer.Reset();
                    body.Write("\n"u8);
                }

                var flushed = await body.FlushAsync(aborted);
                if (flushed.IsCompleted || flushed.IsCanceled || page.NextToken is null)
                {
                    return;
                }

                page = await repository.ListAsync(category, PageSize, page.NextToken, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (or, in Lambda, the deadline passed): nobody is reading the rest.
        }
    }
}
