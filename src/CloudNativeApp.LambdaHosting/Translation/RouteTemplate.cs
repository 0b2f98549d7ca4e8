namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// Finds where the route API Gateway matched starts in the raw request path, so whatever leads it (a custom domain's
/// base path, a stage) can become PathBase. The route is the template ("/items/{id}", "/api/{proxy+}") with the
/// event's pathParameters filled in; it is matched from the end of the path, segment by segment.
/// </summary>
internal static class RouteTemplate
{
    /// <summary>
    /// The length of <paramref name="rawPath"/>'s prefix before the route <paramref name="template"/>, or -1 when the
    /// path does not end with that route (a hand-written event, or a template that is not a path such as "$default").
    /// </summary>
    /// <remarks>
    /// Segments are compared as sent and, failing that, percent-decoded, because API Gateway passes some values
    /// decoded and some raw (a "%2F" in a greedy value, "a b" or "a%20b"). A trailing slash of the path is not part
    /// of any template segment (API Gateway matches "/items/" to "/items", and its proxy value drops the slash).
    /// </remarks>
    public static int PrefixLength(LambdaEvent lambdaEvent, string rawPath, string template)
    {
        if (template.Length == 0 || template[0] != '/')
        {
            return -1;
        }

        var end = rawPath.Length > 0 && rawPath[^1] == '/' ? rawPath.Length - 1 : rawPath.Length;
        var position = end;
        var segments = template.AsSpan(1).TrimEnd('/');
        var isLast = true;
        while (!segments.IsEmpty)
        {
            var slash = segments.LastIndexOf('/');
            var segment = segments[(slash + 1)..];
            segments = slash < 0 ? default : segments[..slash];
            position = MatchSegment(lambdaEvent, rawPath, position, segment, isLast);
            if (position < 0)
            {
                return -1;
            }

            isLast = false;
        }

        return position;
    }

    // Returns the index of the '/' that starts the matched segment(s), or -1.
    private static int MatchSegment(LambdaEvent lambdaEvent, string rawPath, int end, ReadOnlySpan<char> segment, bool isLast)
    {
        if (end <= 0)
        {
            return -1;
        }

        var isParameter = segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';
        if (isParameter && segment[^2] == '+')
        {
            // A greedy parameter can only end a template; its value says how many segments it took.
            var value = isLast ? lambdaEvent.PropertyText(lambdaEvent.PathParameters, segment[1..^2]) : null;
            return value is null ? -1 : MatchGreedy(rawPath, end, value.AsSpan().TrimEnd('/'));
        }

        var start = rawPath.LastIndexOf('/', end - 1);
        if (start < 0)
        {
            return -1;
        }

        var text = rawPath.AsSpan(start + 1, end - start - 1);
        if (!isParameter)
        {
            return Same(text, segment) ? start : -1;
        }

        // A parameter is one non-empty segment; when the event names its value, the segment must hold it.
        var expected = lambdaEvent.PropertyText(lambdaEvent.PathParameters, segment[1..^1]);
        return !text.IsEmpty && (expected is null || Same(text, expected)) ? start : -1;
    }

    private static int MatchGreedy(string rawPath, int end, ReadOnlySpan<char> value)
    {
        for (var start = rawPath.LastIndexOf('/', end - 1); start >= 0; start = start == 0 ? -1 : rawPath.LastIndexOf('/', start - 1))
        {
            if (Same(rawPath.AsSpan(start + 1, end - start - 1), value))
            {
                return start;
            }
        }

        return -1;
    }

    private static bool Same(ReadOnlySpan<char> raw, ReadOnlySpan<char> value) =>
        raw.SequenceEqual(value)
        || ((raw.Contains('%') || value.Contains('%'))
            && string.Equals(Uri.UnescapeDataString(raw.ToString()), Uri.UnescapeDataString(value.ToString()), StringComparison.Ordinal));
}
