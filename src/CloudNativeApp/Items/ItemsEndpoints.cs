namespace CloudNativeApp.Items;

public static class ItemsEndpoints
{
    public static RouteGroupBuilder MapItems(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/items").WithTags("Items").AnswerHeadOnGets();
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", Create)
            .WithName("CreateItem")
            .WithSummary("Create an item; the response carries its Location and ETag.")
            .WithValidation<ItemRequest>()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{id}", Get)
            .WithName("GetItem")
            .WithSummary("An item and its ETag; 304 when If-None-Match names that ETag, 404 when it does not exist or has expired.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", List)
            .WithName("ListItems")
            .WithSummary("A page of items: newest first within a category, or every item. Pass nextToken for the next page.");

        group.MapGet("/export", Export)
            .WithName("ExportItems")
            .WithSummary("Every unexpired item (of a category, if given) as newline-delimited JSON, streamed page by page.")
            .Produces<Item>(StatusCodes.Status200OK, ItemExport.MediaType);

        group.MapPut("/{id}", Replace)
            .WithName("ReplaceItem")
            .WithSummary("Replace an item's mutable fields. With If-Match, only if the item is still at that version; with If-None-Match, only if it is not.")
            .WithValidation<ItemRequest>()
            .ProducesWriteProblems()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapPatch("/{id}", Patch)
            .WithName("PatchItem")
            .WithSummary("Change some fields with a JSON merge patch (RFC 7396); null removes an optional field.")
            .Accepts<ItemMergePatch>(JsonMergePatch.MediaType)
            .ProducesValidationProblem()
            .ProducesWriteProblems()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapDelete("/{id}", Delete)
            .WithName("DeleteItem")
            .WithSummary("Delete an item. With If-Match, only if the item is still at that version.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesWriteProblems();

        return group;
    }

    /// <summary>
    /// What <see cref="ConditionalItemWrite"/> can come to besides a write: 404, 409 (contention) and 412 (If-Match).
    /// Its 403 (not the owner) depends on <c>Auth:OwnerWrites</c> and is described with the other security answers.
    /// </summary>
    private static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

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
        var caller = CallerIdentity.Of(httpContext.User);
        var item = ItemMapping.Create(request, timeProvider.GetUtcNow()) with { CreatedBy = caller?.Name };
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
            return ItemProblems.InvalidIdempotencyKey();
        }
        else if (await IdempotentCreation.CreateOnceAsync(idempotencyKey, caller, request, item, repository, idempotency, jsonOptions.Value.SerializerOptions, cancellationToken) is { } once)
        {
            stored = once;
        }
        else
        {
            return ItemProblems.IdempotencyKeyReused();
        }

        httpContext.Response.Headers.ETag = IfMatch.ETag(stored.Version);
        return TypedResults.Created($"/items/{stored.Id}", stored);
    }

    public static async Task<Results<Ok<Item>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        string id,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        IItemRepository repository,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (!ItemRules.IsItemId(id) || await repository.FindAsync(id, cancellationToken) is not { } item)
        {
            return ItemProblems.NotFound(id);
        }

        httpContext.Response.Headers.ETag = IfMatch.ETag(item.Version);

        // A malformed If-None-Match on a read is ignored (RFC 9110 §13.1.2 leaves it to the server): the full answer is always right.
        return IfMatch.TryParseNoneMatch(ifNoneMatch, out var cached) && cached is not null && cached.Matches(item.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(item);
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

    public static async Task<Results<ItemExport, ValidationProblem>> Export(
        [FromQuery(Name = "category")] string? category,
        IValidator<ItemListQuery> validator,
        IItemRepository repository,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        CancellationToken cancellationToken)
    {
        var query = new ItemListQuery(category, null, null);
        var validation = await validator.ValidateAsync(query, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToProblemErrors());
        }

        var itemJson = (JsonTypeInfo<Item>)jsonOptions.Value.SerializerOptions.GetTypeInfo(typeof(Item));
        return new ItemExport(string.IsNullOrEmpty(category) ? null : category, repository, itemJson);
    }

    public static async Task<Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> Replace(
        string id,
        ItemRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        ItemOwnership ownership,
        IItemRepository repository,
        TimeProvider timeProvider,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (!IfMatch.TryParse(ifMatch, out var precondition))
        {
            return ItemProblems.InvalidIfMatch();
        }

        // If-None-Match: * is a create-only guard; PUT never creates (ids are the server's), so with it PUT is a 412 or a 404.
        if (!IfMatch.TryParseNoneMatch(ifNoneMatch, out var exclusion))
        {
            return ItemProblems.InvalidIfNoneMatch();
        }

        var result = await ConditionalItemWrite.ReplaceAsync(
            repository, id, ownership, precondition, exclusion, current => ItemMapping.Apply(request, current, timeProvider.GetUtcNow()), cancellationToken);
        return Updated(result, id, httpContext.Response);
    }

    public static async Task<Results<Ok<Item>, ValidationProblem, ProblemHttpResult>> Patch(
        string id,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        ItemOwnership ownership,
        HttpRequest request,
        IItemRepository repository,
        IValidator<ItemRequest> validator,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (!JsonMergePatch.IsMediaType(request.ContentType))
        {
            return ItemProblems.NotAMergePatch();
        }

        var json = jsonOptions.Value.SerializerOptions;
        if (await ItemPatch.ReadAsync(request, json, cancellationToken) is not { } patch)
        {
            return ItemProblems.MergePatchNotAnObject();
        }

        if (ItemPatch.NullRequiredProperties(patch, json) is { Count: > 0 } required)
        {
            return TypedResults.ValidationProblem(required.ToDictionary(
                name => name, name => new[] { $"{char.ToUpperInvariant(name[0])}{name[1..]} cannot be null: null removes a field in a merge patch, and an item must have a {name}." }));
        }

        if (!IfMatch.TryParse(ifMatch, out var precondition))
        {
            return ItemProblems.InvalidIfMatch();
        }

        var result = await ConditionalItemWrite.ReplaceAsync(repository, id, ownership, precondition, null, current =>
        {
            var merged = ItemPatch.Apply(patch, current, json);
            var validation = validator.Validate(merged);
            return validation.IsValid ? ItemMapping.Apply(merged, current, timeProvider.GetUtcNow()) : validation;
        }, cancellationToken);
        return Updated(result, id, request.HttpContext.Response);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, ItemOwnership ownership, IItemRepository repository, CancellationToken cancellationToken)
    {
        if (!IfMatch.TryParse(ifMatch, out var precondition))
        {
            return ItemProblems.InvalidIfMatch();
        }

        var result = await ConditionalItemWrite.RemoveAsync(repository, id, ownership, precondition, cancellationToken);
        return result is ItemWriteResult.Written ? TypedResults.NoContent() : ItemProblems.For(result, id);
    }

    private static Results<Ok<Item>, ValidationProblem, ProblemHttpResult> Updated(ItemWriteResult result, string id, HttpResponse response)
    {
        switch (result)
        {
            case ItemWriteResult.Written { Item: var stored }:
                response.Headers.ETag = IfMatch.ETag(stored.Version);
                return TypedResults.Ok(stored);
            case ItemWriteResult.Refused { Validation: var validation }:
                return TypedResults.ValidationProblem(validation.ToProblemErrors());
            default:
                return ItemProblems.For(result, id);
        }
    }
}
