namespace CloudNativeApp.LambdaHosting.Tests.Runtime;

public sealed class LambdaConcurrencyTests
{
    [Theory]
    [InlineData(null, 1, false, false)]
    [InlineData("", 1, false, false)]
    [InlineData("1", 1, true, false)]
    [InlineData("8", 8, true, false)]
    [InlineData(" 32 ", 32, true, false)]
    [InlineData("1600", 1600, true, false)]
    [InlineData("1601", 1600, true, true)]
    [InlineData("99999999999999", 1600, true, true)]
    [InlineData("0", 1, false, true)]
    [InlineData("-1", 1, false, true)]
    [InlineData("abc", 1, false, true)]
    [InlineData("8.5", 1, false, true)]
    [InlineData("enabled", 1, false, true)]
    public void The_variable_gives_the_worker_count(string? variable, int workers, bool multiConcurrent, bool problem)
    {
        var concurrency = LambdaConcurrency.Resolve(null, variable);

        Assert.Equal(workers, concurrency.Workers);
        Assert.Equal(multiConcurrent, concurrency.IsMultiConcurrent);
        Assert.Equal(problem, concurrency.Problem is not null);
        if (problem)
        {
            Assert.Contains(LambdaConcurrency.Variable, concurrency.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_option_wins_over_the_variable()
    {
        Assert.Equal(new LambdaConcurrency(4, true), LambdaConcurrency.Resolve(4, "8"));
        Assert.Equal(1, LambdaConcurrency.Resolve(0, "8").Workers);
        Assert.Contains("MaxConcurrency", LambdaConcurrency.Resolve(0, "8").Problem, StringComparison.Ordinal);
    }
}
