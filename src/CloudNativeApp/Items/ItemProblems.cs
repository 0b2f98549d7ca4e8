namespace CloudNativeApp.Items;

/// <summary>The items API's problem responses: status, title and the detail a client acts on.</summary>
internal static class ItemProblems
{
    /// <summary>The answer to a write that did not happen.</summary>
    public static ProblemHttpResult For(ItemWriteResult failure, string id) => failure switch
    {
        ItemWriteResult.NotFound => NotFound(id),
        ItemWriteResult.NotOwner => NotOwner(),
        ItemWriteResult.StalePrecondition stale => PreconditionFailed(stale.CurrentVersion),
        ItemWriteResult.NoneMatchFailed exists => Exists(exists.CurrentVersion),
        ItemWriteResult.Contention => Contention(),
        _ => throw new UnreachableException($"{failure} is not a failed write."),
    };

    public static ProblemHttpResult NotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "Item not found", $"There is no item with id '{id}'.");

    public static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        Problem(
            StatusCodes.Status412PreconditionFailed,
            "Precondition failed",
            $"The item has changed: its current ETag is {IfMatch.ETag(currentVersion)}. Fetch it again and retry.");

    public static ProblemHttpResult Exists(int currentVersion) =>
        Problem(
            StatusCodes.Status412PreconditionFailed,
            "Precondition failed",
            $"If-None-Match matches the item as it is now (ETag {IfMatch.ETag(currentVersion)}), so it was not replaced.");

    public static ProblemHttpResult InvalidIfNoneMatch() =>
        Problem(StatusCodes.Status400BadRequest, "Invalid If-None-Match header", "If-None-Match must be * or a list of entity tags such as \"3\".");

    public static ProblemHttpResult Contention() =>
        Problem(StatusCodes.Status409Conflict, "Too much contention", "The item is being changed by many requests at once; retry.");

    public static ProblemHttpResult NotOwner() =>
        Problem(StatusCodes.Status403Forbidden, "Not the item's owner", "Only the caller that created this item (its createdBy) may change or delete it.");

    public static ProblemHttpResult InvalidIfMatch() =>
        Problem(StatusCodes.Status400BadRequest, "Invalid If-Match header", "If-Match must be * or a list of entity tags such as \"3\".");

    public static ProblemHttpResult InvalidIdempotencyKey() =>
        Problem(
            StatusCodes.Status400BadRequest,
            "Invalid Idempotency-Key header",
            $"{IdempotentCreation.HeaderName} must be 1-{IdempotentCreation.MaxKeyLength} visible ASCII characters.");

    public static ProblemHttpResult IdempotencyKeyReused() =>
        Problem(
            StatusCodes.Status422UnprocessableEntity,
            "Idempotency key reused",
            $"This {IdempotentCreation.HeaderName} was already used with a different request body; use a new key for a new item.");

    public static ProblemHttpResult NotAMergePatch() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"PATCH takes a JSON merge patch (Content-Type: {JsonMergePatch.MediaType}).");

    public static ProblemHttpResult MergePatchNotAnObject() =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", "A merge patch for an item must be a JSON object.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
