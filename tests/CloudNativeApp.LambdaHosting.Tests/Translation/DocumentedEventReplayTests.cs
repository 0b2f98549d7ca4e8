namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>
/// A differential check: every documented deployment shape (<see cref="DocumentedEventCases"/>) replayed through the
/// translator must give the request line and headers the client sent, as Kestrel would have seen them.
/// </summary>
public sealed class DocumentedEventReplayTests
{
    public static TheoryData<string> Cases => [.. DocumentedEventCases.All.Select(replay => replay.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Event_becomes_the_request_the_client_sent(string name)
    {
        var expected = DocumentedEventCases.All.Single(replay => replay.Name == name);

        var result = await Translate.InvokeAsync(expected.Event);

        var request = result.Request!;
        Assert.Equal(LambdaInvocationKind.HttpResponse, result.Kind);
        Assert.Equal(expected.Source, request.Source);
        Assert.Equal(expected.Method, request.Method);
        Assert.Equal(expected.PathBase, request.PathBase);
        Assert.Equal(expected.Path, request.Path);
        Assert.Equal(expected.QueryString, request.QueryString);
        Assert.Equal(expected.Host, request.Host);
        Assert.Equal(expected.ContentLength, request.ContentLength);
        Assert.Equal(expected.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<absent>", request.Header("Content-Length"));
    }
}
