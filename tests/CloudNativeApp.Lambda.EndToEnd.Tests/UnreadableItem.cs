using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace CloudNativeApp.Lambda.EndToEnd.Tests;

/// <summary>
/// A real fault for the published app, which has no endpoint that fails by design and, as a Native AOT binary,
/// runs no startup hook a test could inject one with: an item stored with a text version and creation time, as
/// another writer of the table could leave it. Reading it throws inside the app (the object-persistence model
/// cannot convert it), an exception no handler of the app expects.
/// </summary>
internal static class UnreadableItem
{
    /// <summary>A well-formed item id (32 hex digits), so the app looks it up.</summary>
    public const string Id = "0000000000000000000000000000dead";

    public const string Location = $"/items/{Id}";

    /// <summary>Stores the item in <paramref name="tableName"/>, which the app must have created already.</summary>
    public static async Task PutAsync(DynaliteServer dynalite, string tableName)
    {
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"), // dynalite does not check signatures
            new AmazonDynamoDBConfig { ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = "us-east-1" });
        await client.PutItemAsync(tableName, new Dictionary<string, AttributeValue>
        {
            ["id"] = new() { S = Id },
            ["name"] = new() { S = "unreadable" },
            ["category"] = new() { S = "general" },
            ["createdAt"] = new() { S = "not a date" },
            ["updatedAt"] = new() { S = "not a date" },
            ["version"] = new() { S = "not a number" },
        });
    }
}
