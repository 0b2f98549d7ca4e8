using CloudNativeApp.LambdaHosting.Translation;

namespace CloudNativeApp.LambdaHosting.Tests.Translation;

/// <summary>
/// Events that are not HTTP requests go to the direct-invocation handler; without one, the error names what the event
/// was recognised as and what is supported.
/// </summary>
public sealed class UnsupportedEventMessageTests
{
    public static TheoryData<string> NonHttpAwsEvents =>
        [TestEvents.WebSocketConnect, TestEvents.WebSocketMessage, TestEvents.S3Notification, TestEvents.SqsMessage];

    [Theory]
    [MemberData(nameof(NonHttpAwsEvents))]
    public async Task Non_http_aws_events_are_left_for_the_direct_handler(string name)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(name));

        Assert.Equal(LambdaInvocationKind.NotHttpEvent, result.Kind);
        Assert.Null(result.Request);
    }

    [Theory]
    [InlineData(TestEvents.WebSocketConnect, LambdaEventSource.RestApi)]
    [InlineData(TestEvents.WebSocketMessage, LambdaEventSource.HttpApi)]
    [InlineData(TestEvents.S3Notification, LambdaEventSource.RestApi)]
    public async Task A_forced_event_source_does_not_take_non_http_events(string name, LambdaEventSource forced)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(name), options: new LambdaHostingOptions { EventSource = forced });

        Assert.Equal(LambdaInvocationKind.NotHttpEvent, result.Kind);
    }

    [Theory]
    [InlineData(TestEvents.WebSocketConnect, "an API Gateway WebSocket API event (requestContext.eventType \"CONNECT\", requestContext.routeKey \"$connect\", requestContext.connectionId \"XfGLwdKJjMCFfWw=\"), not an HTTP request")]
    [InlineData(TestEvents.WebSocketMessage, "an API Gateway WebSocket API event (requestContext.eventType \"MESSAGE\", requestContext.routeKey \"$default\", requestContext.connectionId \"XfGLwdKJjMCFfWw=\"), not an HTTP request")]
    [InlineData(TestEvents.S3Notification, "an Amazon S3 event notification (Records[0].eventSource \"aws:s3\")")]
    [InlineData(TestEvents.SqsMessage, "an Amazon SQS message batch (Records[0].eventSource \"aws:sqs\")")]
    public void Message_names_the_recognised_aws_event(string name, string recognised)
    {
        var message = UnsupportedEventMessage.For(TestEvents.Load(name));

        Assert.StartsWith($"The event is {recognised}. Supported HTTP events: ", message, StringComparison.Ordinal);
        Assert.Contains("no handler for direct invocations", message, StringComparison.Ordinal);
        Assert.DoesNotContain("no requestContext", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Number1":10,"Number2":20}""", "an object with properties Number1, Number2 (no requestContext, httpMethod, routeKey or version)")]
    [InlineData("""{"key1":"value1","requestContext":null}""", "an object with requestContext null, which is not a supported HTTP event shape")]
    [InlineData("""{"httpMethod":7,"path":"/x"}""", "an object with httpMethod 7, path \"/x\", which is not a supported HTTP event shape")]
    [InlineData("""{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","detail":{}}""", "an Amazon EventBridge event (source \"aws.events\", detail-type \"Scheduled Event\")")]
    [InlineData("""{"Records":[{"EventSource":"aws:sns","Sns":{}}]}""", "an Amazon SNS notification (Records[0].EventSource \"aws:sns\")")]
    [InlineData("""{"Records":[{"eventSource":"aws:dynamodb"}]}""", "an event from \"aws:dynamodb\" (Records[0].eventSource)")]
    [InlineData("{}", "an object with no properties (no requestContext, httpMethod, routeKey or version)")]
    [InlineData("""{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10}""", "an object with properties a, b, c, d, e, f, g, h and 2 more (no requestContext, httpMethod, routeKey or version)")]
    [InlineData("[1,2,3]", "a JSON array, not an object")]
    [InlineData("\"just a string\"", "a JSON string, not an object")]
    [InlineData("42", "a JSON number, not an object")]
    public void Message_names_what_other_events_have(string eventJson, string recognised)
    {
        var message = UnsupportedEventMessage.For(Encoding.UTF8.GetBytes(eventJson));

        Assert.StartsWith($"The event is {recognised}. Supported HTTP events: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_event_values_are_cut_in_the_message()
    {
        var message = UnsupportedEventMessage.For(Encoding.UTF8.GetBytes($$$"""{"requestContext":{"eventType":"{{{new string('x', 500)}}}"}}"""));

        Assert.Contains($"\"{new string('x', 61)}...\"", message, StringComparison.Ordinal);
        Assert.True(message.Length < 700, message);
    }
}
