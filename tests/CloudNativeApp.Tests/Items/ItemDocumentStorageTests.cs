using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace CloudNativeApp.Tests.Items;

/// <summary>What the table really holds: the attribute types DynamoDB's TTL, the index and other readers rely on.</summary>
public sealed class ItemDocumentStorageTests(DynamoDbItemsApp fixture) : IClassFixture<DynamoDbItemsApp>
{
    [Fact]
    public async Task Items_are_stored_with_ttl_in_epoch_seconds_tags_as_a_list_and_a_numeric_version()
    {
        using var client = fixture.App.CreateClient();
        var expiresAt = fixture.App.Clock.GetUtcNow().AddDays(2);
        var item = await client.CreateItemAsync(new { name = "Raw", category = "raw", tags = new[] { "b", "a" }, expiresAt });

        using var dynamo = new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = fixture.Dynalite.ServiceUrl });
        var table = (await dynamo.ListTablesAsync()).TableNames.Single(name => !name.EndsWith("-idempotency", StringComparison.Ordinal));
        var stored = (await dynamo.GetItemAsync(table, new() { [ItemTable.HashKeyAttribute] = new AttributeValue(item.Id()) })).Item;

        Assert.Equal(expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), stored[ItemTable.TimeToLiveAttribute].N);
        Assert.Equal(["b", "a"], stored["tags"].L.Select(tag => tag.S));
        Assert.Equal("0", stored[ItemTable.VersionAttribute].N);
        Assert.Equal("raw", stored[ItemTable.CategoryAttribute].S);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", stored[ItemTable.CreatedAtAttribute].S);

        var description = (await dynamo.DescribeTableAsync(table)).Table;
        var index = Assert.Single(description.GlobalSecondaryIndexes);
        Assert.Equal(ItemTable.CategoryIndexName, index.IndexName);
        Assert.Equal([ItemTable.CategoryAttribute, ItemTable.CreatedAtAttribute], index.KeySchema.Select(key => key.AttributeName));
    }
}
