namespace CloudNativeApp.Tests.Items;

public sealed class PageTokenTests
{
    [Fact]
    public void A_table_key_round_trips_as_base64url_of_dynamodb_json()
    {
        var token = PageToken.Encode(new PageKey("abc123"));

        Assert.DoesNotContain('=', token);
        Assert.Equal("""{"id":{"S":"abc123"}}""", Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)));
        Assert.Equal(new PageKey("abc123"), PageToken.Decode(token, category: null));
    }

    [Fact]
    public void An_index_key_round_trips_and_only_for_its_category()
    {
        var key = new PageKey("abc123", "books", "2026-01-02T03:04:05.678Z");
        var token = PageToken.Encode(key);

        Assert.Equal(key, PageToken.Decode(token, "books"));
        Assert.Throws<InvalidPageTokenException>(() => PageToken.Decode(token, "films"));
        Assert.Throws<InvalidPageTokenException>(() => PageToken.Decode(token, null));
    }

    [Fact]
    public void The_created_at_format_sorts_chronologically()
    {
        var early = PageToken.FormatCreatedAt(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero));
        var late = PageToken.FormatCreatedAt(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 60, TimeSpan.Zero));

        Assert.Equal("2026-01-02T03:04:05.006Z", early);
        Assert.True(string.CompareOrdinal(early, late) < 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("***")]
    [InlineData("""{"id":{"S":"abc"}}""")] // JSON, but not base64url
    public void Malformed_tokens_are_rejected(string token) =>
        Assert.Throws<InvalidPageTokenException>(() => PageToken.Decode(token, null));
}
