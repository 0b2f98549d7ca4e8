using CloudNativeApp.Items.Storage;

namespace CloudNativeApp.Tests.Items;

/// <summary>The names the store's spans and metrics give DynamoDB calls, known or not.</summary>
public sealed class DynamoDbOperationsTests
{
    [Fact]
    public void A_known_operation_is_named_without_a_new_string()
    {
        var first = DynamoDbOperations.Name("DynamoDB_20120810.GetItem".AsSpan(18));
        var second = DynamoDbOperations.Name("GetItem".ToCharArray());

        Assert.Equal("GetItem", first);
        Assert.Same(first, second);
        Assert.Same(DynamoDbOperations.SpanName(first), DynamoDbOperations.SpanName("GetItem"));
        Assert.Equal("DynamoDB.GetItem", DynamoDbOperations.SpanName(first));
    }

    [Fact]
    public void An_operation_the_app_does_not_call_keeps_its_name()
    {
        Assert.Equal("ListTables", DynamoDbOperations.Name("ListTables"));
        Assert.Equal("DynamoDB.ListTables", DynamoDbOperations.SpanName("ListTables"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    public void A_usual_retry_count_is_boxed_once(int retries)
    {
        Assert.Equal(retries, (int)DynamoDbOperations.Boxed(retries));
        Assert.Same(DynamoDbOperations.Boxed(retries), DynamoDbOperations.Boxed(retries));
    }

    [Fact]
    public void A_large_retry_count_is_its_number()
    {
        Assert.Equal(42, (int)DynamoDbOperations.Boxed(42));
    }
}
