namespace CloudNativeApp.Tests.Items;

public sealed class IfMatchTests
{
    [Fact]
    public void No_header_means_no_precondition()
    {
        Assert.True(IfMatch.TryParse(null, out var precondition));
        Assert.Null(precondition);
    }

    [Theory]
    [InlineData("\"3\"", 3, true)]
    [InlineData("\"3\"", 4, false)]
    [InlineData("\"1\", \"3\"", 3, true)]
    [InlineData("*", 42, true)]
    [InlineData("W/\"3\"", 3, false)]
    [InlineData("\"-3\"", -3, false)]
    [InlineData("\"3.0\"", 3, false)]
    public void Matches_with_strong_comparison(string header, int version, bool matches)
    {
        Assert.True(IfMatch.TryParse(header, out var precondition));
        Assert.Equal(matches, precondition!.Matches(version));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"3")]
    [InlineData("")]
    public void Malformed_headers_are_rejected(string header) => Assert.False(IfMatch.TryParse(header, out _));
}
