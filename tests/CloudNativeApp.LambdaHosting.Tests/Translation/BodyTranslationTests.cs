namespace CloudNativeApp.LambdaHosting.Tests.Translation;

public sealed class BodyTranslationTests
{
    private static readonly byte[] Binary = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x0D, 0x0A, 0x1A];

    public static TheoryData<string> Sources => [TestEvents.RestApi, TestEvents.HttpApi, TestEvents.FunctionUrl, TestEvents.Alb];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Base64_request_body_arrives_as_the_original_bytes(string source)
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(source, root =>
        {
            root["body"] = Convert.ToBase64String(Binary);
            root["isBase64Encoded"] = true;
        }));

        Assert.Equal(Binary, result.Request!.Body);
        Assert.Equal(Binary.Length, result.Request.ContentLength);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Binary_response_is_base64_encoded(string source)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(source), async context =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(Binary);
        });

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(Binary, result.BodyBytes);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", false)]
    [InlineData("text/html", false)]
    [InlineData("text/csv", false)]
    [InlineData("application/json; charset=utf-8", false)]
    [InlineData("application/problem+json", false)]
    [InlineData("application/vnd.api+json", false)]
    [InlineData("application/xml", false)]
    [InlineData("image/svg+xml", false)]
    [InlineData("application/javascript", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("font/woff2", true)]
    [InlineData("audio/mpeg", true)]
    [InlineData("application/vnd.ms-excel", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("application/pdf", true)]
    [InlineData("", true)]
    public async Task Content_type_decides_text_or_base64(string contentType, bool base64)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), async context =>
        {
            if (contentType.Length > 0)
            {
                context.Response.ContentType = contentType;
            }

            await context.Response.WriteAsync("héllo <world> & \"quotes\"");
        });

        Assert.Equal(base64, result.IsBase64Encoded);
        Assert.Equal("héllo <world> & \"quotes\"", Encoding.UTF8.GetString(result.BodyBytes));
    }

    [Fact]
    public async Task Content_encoding_forces_base64_even_for_json()
    {
        var gzipped = new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00 };
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(gzipped);
        });

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(gzipped, result.BodyBytes);
    }

    [Fact]
    public async Task Text_type_with_invalid_utf8_falls_back_to_base64()
    {
        byte[] latin1 = [0x63, 0x61, 0x66, 0xE9];
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync(latin1);
        });

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(latin1, result.BodyBytes);
    }

    [Fact]
    public async Task Options_can_mark_types_binary_or_text()
    {
        var options = new LambdaHostingOptions();
        options.BinaryContentTypes.Add("application/json");
        options.TextContentTypes.Add("application/x-custom");

        var json = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), WriteAs("application/json; charset=utf-8"), options);
        var custom = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), WriteAs("application/x-custom"), options);

        Assert.True(json.IsBase64Encoded);
        Assert.False(custom.IsBase64Encoded);
        Assert.Equal("data", custom.Body);
    }

    private static RequestDelegate WriteAs(string contentType) => context =>
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync("data");
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task One_megabyte_bodies_travel_both_ways(string source)
    {
        var text = string.Create(1024 * 1024, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        var result = await Translate.InvokeAsync(
            TestEvents.Edit(source, root => root["body"] = text),
            async context =>
            {
                context.Response.ContentType = "text/plain";
                await context.Request.Body.CopyToAsync(context.Response.Body);
            });

        Assert.Equal(text.Length, result.Request!.ContentLength);
        Assert.Equal(text, result.Body);
    }

    [Fact]
    public async Task One_megabyte_binary_body_round_trips_through_base64()
    {
        var bytes = new byte[1024 * 1024];
        new Random(42).NextBytes(bytes);
        var result = await Translate.InvokeAsync(
            TestEvents.Edit(TestEvents.RestApi, root =>
            {
                root["body"] = Convert.ToBase64String(bytes);
                root["isBase64Encoded"] = true;
            }),
            async context =>
            {
                context.Response.ContentType = "application/octet-stream";
                await context.Request.Body.CopyToAsync(context.Response.Body);
            });

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(bytes, result.BodyBytes);
    }

    [Fact]
    public async Task Escaped_json_string_body_is_unescaped()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.HttpApi, root => root["body"] = "{\"name\":\"line\\nbreak \\u00fc\"}\n\t\"quoted\""));

        Assert.Equal("{\"name\":\"line\\nbreak \\u00fc\"}\n\t\"quoted\"", Encoding.UTF8.GetString(result.Request!.Body));
    }

    [Theory]
    [InlineData(StatusCodes.Status204NoContent)]
    [InlineData(StatusCodes.Status404NotFound)]
    [InlineData(StatusCodes.Status304NotModified)]
    public async Task Response_without_body_keeps_its_status_and_an_empty_body(int status)
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.RestApi), context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

        Assert.Equal(status, result.StatusCode);
        Assert.Equal("", result.Body);
        Assert.False(result.IsBase64Encoded);
    }

    [Fact]
    public async Task Head_response_has_no_body()
    {
        var result = await Translate.InvokeAsync(TestEvents.Edit(TestEvents.RestApi, root => root["httpMethod"] = "HEAD"), async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 5;
            await context.Response.WriteAsync("hello");
        });

        Assert.Equal("", result.Body);
        Assert.Equal("5", result.Response.GetProperty("multiValueHeaders").GetProperty("Content-Length")[0].GetString());
    }

    [Fact]
    public async Task PipeWriter_and_stream_writes_end_up_in_order()
    {
        var result = await Translate.InvokeAsync(TestEvents.Load(TestEvents.HttpApi), async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync("one,"u8.ToArray());
            await context.Response.BodyWriter.WriteAsync("two,"u8.ToArray());
            var span = context.Response.BodyWriter.GetSpan(6);
            "three"u8.CopyTo(span);
            context.Response.BodyWriter.Advance(5);
            await context.Response.BodyWriter.FlushAsync();
        });

        Assert.Equal("one,two,three", result.Body);
    }
}
