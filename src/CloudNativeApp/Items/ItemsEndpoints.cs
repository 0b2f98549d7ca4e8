using System.Text.Json;
using System.Text.Json.Nodes;
using System.Security.Claims;
using CloudNativeApp.Infrastructure;
using CloudNativeApp.Items.Idempotency;
using CloudNativeApp.Items.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CloudNativeApp.Items;

public static class ItemsEndpoints
{
    // Without If-Match a write that loses a race re-reads and re-applies; this bounds a pathological hot spot.
    private const int MaxWriteAttempts = 10;

    private static readonly string[] MutableProperties = ["name", "description", "category", "tags", "expiresAt"];

    public static RouteGroupBuilder MapItems(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/items").WithTags("Items");
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Create)
            .WithName("CreateItem")
            .WithSummary("Create an item; the response carries its Location and ETag.")
            .WithValidation<ItemRequest>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{id}", Get)
            .WithName("GetItem")
            .WithSummary("An item and its ETag; 404 when it does not exist or has expired.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", List)
            .WithName("ListItems")
            .WithSummary("A page of items: newest first within a category, or every item. Pass nextToken for the next page.");

        group.MapPut("/{id}", Replace)
            .WithName("ReplaceItem")
            .WithSummary("Replace an item's mutable fields. With If-Match, only if the item is still at that version.")
            .WithValidation<ItemRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapPatch("/{id}", Patch)
            .WithName("PatchItem")
            .WithSummary("Change some fields with a JSON merge patch (RFC 7396); null removes an optional field.")
            .Accepts<ItemMergePatch>(JsonMergePatch.MediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapDelete("/{id}", Delete)
            .WithName("DeleteItem")
            .WithSummary("Delete an item. With If-Match, only if the item is still at that version.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return group;
    }

    public static async Task<Results<Created<Item>, ProblemHttpResult>> Create(
        ItemRequest request,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey,
        IItemRepository repository,
        IIdempotencyStore idempotency,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        TimeProvider timeProvider,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        var item = ItemMapping.Create(request, timeProvider.GetUtcNow()) with { CreatedBy = httpContext.User.FindFirstValue("sub") };
        Item stored;
        if (idempotencyKey is null && httpContext.Request.Headers.ContainsKey(IdempotentCreation.HeaderName))
        {
            idempotencyKey = ""; // sent but empty: a client bug worth a 400, not a silently non-idempotent create
        }

        if (idempotencyKey is null)
        {
            stored = await repository.AddAsync(item, cancellationToken);
        }
        else if (!IdempotentCreation.IsValidKey(idempotencyKey))
        {
            return TypedResults.Problem(
                $"{IdempotentCreation.HeaderName} must be 1-{IdempotentCreation.MaxKeyLength} visible ASCII characters.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid Idempotency-Key header");
        }
        else if (await IdempotentCreation.CreateOnceAsync(idempotencyKey, request, item, repository, idempotency, jsonOptions.Value.SerializerOptions, cancellationToken) is { } once)
        {
            stored = once;
        }
        else
        {
            return TypedResults.Problem(
                $"This {IdempotentCreation.HeaderName} was already used with a different request body; use a new key for a new item.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency key reused");
        }

        httpContext.Response.Headers.ETag = IfMatch.ETag(stored.Version);
        return TypedResults.Created($"/items/{stored.Id}", stored);
    }

    public static async Task<Results<Ok<Item>, ProblemHttpResult>> Get(
        string id, IItemRepository repository, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (!ItemRules.IsItemId(id) || await repository.FindAsync(id, cancellationToken) is not { } item)
        {
            return NotFound(id);
        }

        httpContext.Response.Headers.ETag = IfMatch.ETag(item.Version);
        return TypedResults.Ok(item);
    }

    // Separate query parameters rather than [AsParameters] ItemListQuery: the Request Delegate Generator
    // (compile-time binding, no runtime codegen on a cold start) cannot bind a record with nullable ctor parameters.
    // The limit arrives as text because the generator answers an unparsable int? with a bare 400; the validator
    // parses it and names the bad value.
    public static async Task<Results<Ok<ItemPage>, ValidationProblem>> List(
        [FromQuery(Name = "category")] string? category,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "nextToken")] string? nextToken,
        IValidator<ItemListQuery> validator,
        IItemRepository repository,
        CancellationToken cancellationToken)
    {
        var query = new ItemListQuery(category, limit, nextToken);
        var validation = await validator.ValidateAsync(query, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToProblemErrors());
        }

        try
        {
            return TypedResults.Ok(await repository.ListAsync(
                query.Category, query.PageSize, string.IsNullOrEmpty(query.NextToken) ? null : query.NextToken, cancellationToken));
        }
        catch (InvalidPageTokenException exception)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["nextToken"] = [exception.Message] });
        }
    }

    public static Task<Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> Replace(
        string id,
        ItemRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        IItemRepository repository,
        TimeProvider timeProvider,
        HttpContext httpContext,
        CancellationToken cancellationToken) =>
        UpdateAsync(id, ifMatch, repository, httpContext, current => TypedResults.Ok(ItemMapping.Apply(request, current, timeProvider.GetUtcNow())), cancellationToken);

    public static async Task<Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> Patch(
        string id,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpRequest request,
        IItemRepository repository,
        IValidator<ItemRequest> validator,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMergePatch.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                $"PATCH takes a JSON merge patch (Content-Type: {JsonMergePatch.MediaType}).",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type");
        }

        if (await ReadMergePatchAsync(request, cancellationToken) is not { } patch)
        {
            return TypedResults.Problem(
                "A merge patch for an item must be a JSON object.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
        }

        var json = jsonOptions.Value.SerializerOptions;
        return await UpdateAsync(id, ifMatch, repository, request.HttpContext, current =>
        {
            var document = JsonSerializer.SerializeToNode(current.ToRequest(), json)!.AsObject();
            foreach (var (name, value) in document.ToList())
            {
                if (value is null)
                {
                    document.Remove(name); // absent and null mean the same to a merge patch
                }
            }

            var merged = Deserialize(JsonMergePatch.Apply(document, patch), json);
            var validation = validator.Validate(merged);
            return validation.IsValid
                ? TypedResults.Ok(ItemMapping.Apply(merged, current, timeProvider.GetUtcNow()))
                : (Results<Ok<Item>, ValidationProblem, ProblemHttpResult>)TypedResults.ValidationProblem(validation.ToProblemErrors());
        }, cancellationToken);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, IItemRepository repository, CancellationToken cancellationToken)
    {
        if (!IfMatch.TryParse(ifMatch, out var precondition))
        {
            return InvalidIfMatch();
        }

        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var (current, problem) = await ReadForWriteAsync(id, precondition, repository, cancellationToken);
            if (current is null)
            {
                return problem!;
            }

            if (await repository.RemoveAsync(id, current.Version, cancellationToken))
            {
                return TypedResults.NoContent();
            }

            await BackOffAsync(attempt, cancellationToken);
        }

        return Contention();
    }

    /// <summary>
    /// Read, check If-Match, change, and write conditionally on the version read. A lost race re-reads, so
    /// If-Match then fails with 412 and an unconditional update is re-applied to the newer item, never lost.
    /// </summary>
    private static async Task<Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id,
        string? ifMatch,
        IItemRepository repository,
        HttpContext httpContext,
        Func<Item, Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> change,
        CancellationToken cancellationToken)
    {
        if (!IfMatch.TryParse(ifMatch, out var precondition))
        {
            return InvalidIfMatch();
        }

        for (var attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var (current, problem) = await ReadForWriteAsync(id, precondition, repository, cancellationToken);
            if (current is null)
            {
                return problem!;
            }

            var outcome = change(current);
            if (outcome.Result is not Ok<Item> { Value: { } changed })
            {
                return outcome;
            }

            if (await repository.ReplaceAsync(changed, cancellationToken) is { } stored)
            {
                httpContext.Response.Headers.ETag = IfMatch.ETag(stored.Version);
                return TypedResults.Ok(stored);
            }

            await BackOffAsync(attempt, cancellationToken);
        }

        return Contention();
    }

    /// <summary>
    /// The item as stored now, or the problem that ends the write: 404 when it is missing or expired, 412 when
    /// If-Match no longer matches its version.
    /// </summary>
    private static async Task<(Item? Current, ProblemHttpResult? Problem)> ReadForWriteAsync(
        string id, IfMatch? precondition, IItemRepository repository, CancellationToken cancellationToken)
    {
        if (!ItemRules.IsItemId(id) || await repository.FindAsync(id, cancellationToken) is not { } current)
        {
            return (null, NotFound(id));
        }

        return precondition is not null && !precondition.Matches(current.Version)
            ? (null, PreconditionFailed(current.Version))
            : (current, null);
    }

    /// <summary>The patch with its property names settled, or null when it is not a JSON object.</summary>
    private static async Task<JsonObject?> ReadMergePatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(
                request.Body,
                new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 },
                cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException("The merge patch is not valid JSON.", StatusCodes.Status400BadRequest, exception);
        }

        if (patch is not JsonObject patchObject)
        {
            return null;
        }

        // Property names are case-insensitive everywhere in this API; settle them before merging so "Name"
        // replaces "name" instead of sitting next to it.
        JsonObject canonical = [];
        foreach (var (name, value) in patchObject)
        {
            var known = MutableProperties.FirstOrDefault(property => property.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BadHttpRequestException(
                    "Unknown property.",
                    StatusCodes.Status400BadRequest,
                    new JsonException($"The JSON property '{name}' could not be mapped to any .NET member.", $"$.{name}", null, null));
            if (!canonical.TryAdd(known, value?.DeepClone()))
            {
                throw new BadHttpRequestException(
                    "Duplicate property.", StatusCodes.Status400BadRequest, new JsonException($"Duplicate property '{known}'.", $"$.{name}", null, null));
            }
        }

        return canonical;
    }

    private static ItemRequest Deserialize(JsonNode? merged, JsonSerializerOptions options)
    {
        try
        {
            return merged.Deserialize<ItemRequest>(options) ?? throw new JsonException("The patched item is null.", "$", null, null);
        }
        catch (JsonException exception)
        {
            throw new BadHttpRequestException("The merge patch does not produce a valid item.", StatusCodes.Status400BadRequest, exception);
        }
    }

    private static async Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken);

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"There is no item with id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Item not found");

    private static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        TypedResults.Problem(
            $"The item has changed: its current ETag is {IfMatch.ETag(currentVersion)}. Fetch it again and retry.",
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed");

    private static ProblemHttpResult InvalidIfMatch() =>
        TypedResults.Problem(
            "If-Match must be * or a list of entity tags such as \"3\".", statusCode: StatusCodes.Status400BadRequest, title: "Invalid If-Match header");

    private static ProblemHttpResult Contention() =>
        TypedResults.Problem(
            "The item is being changed by many requests at once; retry.", statusCode: StatusCodes.Status409Conflict, title: "Too much contention");
}
