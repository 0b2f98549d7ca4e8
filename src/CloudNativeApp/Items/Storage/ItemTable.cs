using Amazon.DynamoDBv2.Model;

namespace CloudNativeApp.Items.Storage;

/// <summary>
/// The DynamoDB table's names, used by <see cref="ItemDocument"/>'s attributes, by table creation and
/// (through reflection) by the deployment checks of serverless.template.
/// </summary>
public static class ItemTable
{
    public const string DefaultTableName = "Items";
    public const string HashKeyAttribute = "id";
    public const string CategoryIndexName = "category-createdAt-index";
    public const string CategoryAttribute = "category";
    public const string CreatedAtAttribute = "createdAt";
    public const string TimeToLiveAttribute = "expiresAt";
    public const string VersionAttribute = "version";

    /// <summary>On-demand table keyed by id, with the (category, createdAt) index projecting every attribute.</summary>
    public static CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(HashKeyAttribute, ScalarAttributeType.S),
            new AttributeDefinition(CategoryAttribute, ScalarAttributeType.S),
            new AttributeDefinition(CreatedAtAttribute, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(HashKeyAttribute, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = CategoryIndexName,
                KeySchema =
                [
                    new KeySchemaElement(CategoryAttribute, KeyType.HASH),
                    new KeySchemaElement(CreatedAtAttribute, KeyType.RANGE),
                ],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
