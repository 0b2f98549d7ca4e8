using System.Diagnostics;
using CloudNativeApp.Items.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CloudNativeApp.Items;

/// <summary>The items API's problem responses: status, title and the detail a client acts on.</summary>
internal static class ItemProblems
{
    /// <summary>The answer to a write that did not happen.</summary>
    public static ProblemHttpResult For(ItemWriteResult failure, string id) => failure switch
    {
        ItemWriteResult.NotFound => NotFound(id),
        ItemWriteResult.StalePrecondition stale => PreconditionFailed(stale.CurrentVersion),
        ItemWriteResult.Contention => Contention(),
        _ => throw new UnreachableException($"{failure} is not a failed write."),
    };

    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"There is no item with id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Item not found");

    public static ProblemHttpResult PreconditionFailed(int currentVersion) =>
        TypedResults.Problem(
            $"The item has changed: its current ETag is {IfMatch.ETag(currentVersion)}. Fetch it again and retry.",
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed");

    public static ProblemHttpResult Contention() =>
        TypedResults.Problem(
            "The item is being changed by many requests at once; retry.", statusCode: StatusCodes.Status409Conflict, title: "Too much contention");

    public static ProblemHttpResult InvalidIfMatch() =>
        TypedResults.Problem(
            "If-Match must be * or a list of entity tags such as \"3\".", statusCode: StatusCodes.Status400BadRequest, title: "Invalid If-Match header");

    public static ProblemHttpResult InvalidIdempotencyKey() =>
        TypedResults.Problem(
            $"{IdempotentCreation.HeaderName} must be 1-{IdempotentCreation.MaxKeyLength} visible ASCII characters.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid Idempotency-Key header");

    public static ProblemHttpResult IdempotencyKeyReused() =>
        TypedResults.Problem(
            $"This {IdempotentCreation.HeaderName} was already used with a different request body; use a new key for a new item.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Idempotency key reused");

    public static ProblemHttpResult NotAMergePatch() =>
        TypedResults.Problem(
            $"PATCH takes a JSON merge patch (Content-Type: {JsonMergePatch.MediaType}).",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");

    public static ProblemHttpResult MergePatchNotAnObject() =>
        TypedResults.Problem("A merge patch for an item must be a JSON object.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
