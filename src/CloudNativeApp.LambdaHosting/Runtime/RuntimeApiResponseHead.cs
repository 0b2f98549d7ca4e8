namespace CloudNativeApp.LambdaHosting.Runtime;

/// <summary>A response's status line and header fields, and the framing of its body they imply (RFC 9112).</summary>
internal readonly record struct RuntimeApiResponseHead(int StatusCode, List<KeyValuePair<string, string>> Headers, long? ContentLength, bool Chunked, bool KeepAlive)
{
    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    // The fields every Runtime API response carries: their names are not allocated again for every response.
    private static readonly string[] KnownNames =
    [
        "Content-Type", "Content-Length", "Date", "Server", "Transfer-Encoding", "Connection",
        "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn",
        "Lambda-Runtime-Trace-Id", "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity",
    ];

    /// <summary>Per connection: the last value of each known field, reused when the next response repeats it (the function ARN, the content type).</summary>
    public static string?[] NewValueCache() => new string?[KnownNames.Length];

    /// <param name="head">The head up to, not including, the empty line that ends it.</param>
    /// <param name="valueCache">From <see cref="NewValueCache"/>, used by one reader at a time.</param>
    public static RuntimeApiResponseHead Parse(ReadOnlySpan<byte> head, string?[]? valueCache = null)
    {
        var statusLineEnd = head.IndexOf(LineEnd);
        var statusLine = statusLineEnd < 0 ? head : head[..statusLineEnd];

        // "HTTP/1.1 200 OK": the version, a space, three digits.
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != (byte)' '
            || statusLine.Slice(9, 3).ContainsAnyExceptInRange((byte)'0', (byte)'9') || (statusLine.Length > 12 && statusLine[12] != (byte)' '))
        {
            throw new LambdaRuntimeException($"The Runtime API sent a malformed status line '{Encoding.ASCII.GetString(statusLine)}'.");
        }

        var statusCode = ((statusLine[9] - '0') * 100) + ((statusLine[10] - '0') * 10) + (statusLine[11] - '0');

        var http10 = statusLine[7] == (byte)'0';
        var headers = new List<KeyValuePair<string, string>>(8);
        long? contentLength = null;
        string? transferCoding = null;
        string? connection = null;
        var rest = statusLineEnd < 0 ? [] : head[(statusLineEnd + LineEnd.Length)..];
        while (!rest.IsEmpty)
        {
            var lineEnd = rest.IndexOf(LineEnd);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + LineEnd.Length)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new LambdaRuntimeException($"The Runtime API sent a malformed header line '{Encoding.ASCII.GetString(line)}'.");
            }

            var nameBytes = line[..colon].TrimEnd((byte)' ');
            var valueBytes = line[(colon + 1)..].Trim(" \t"u8);
            var known = KnownNameIndex(nameBytes);
            var name = known >= 0 ? KnownNames[known] : Encoding.ASCII.GetString(nameBytes);
            string value;
            if (known >= 0 && valueCache?[known] is { } cached && Ascii.Equals(valueBytes, cached))
            {
                value = cached;
            }
            else
            {
                value = Encoding.UTF8.GetString(valueBytes);
                if (known >= 0 && valueCache is not null)
                {
                    valueCache[known] = value;
                }
            }

            headers.Add(new(name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || (contentLength is { } earlier && earlier != length))
                {
                    throw new LambdaRuntimeException($"The Runtime API sent an invalid Content-Length '{value}'.");
                }

                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferCoding = transferCoding is null ? value : $"{transferCoding}, {value}";
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                connection = connection is null ? value : $"{connection}, {value}";
            }
        }

        // RFC 9112, 6.1 and 6.3: with Transfer-Encoding, Content-Length is ignored and the connection not reused;
        // a body whose last coding is not chunked runs to the end of the connection.
        var chunked = transferCoding is not null && HasToken(transferCoding, "chunked", last: true);
        var keepAlive = http10
            ? connection is not null && HasToken(connection, "keep-alive")
            : connection is null || !HasToken(connection, "close");
        if (transferCoding is not null)
        {
            keepAlive &= chunked && contentLength is null;
            contentLength = null;
        }

        return new RuntimeApiResponseHead(statusCode, headers, contentLength, chunked, keepAlive);
    }

    private static int KnownNameIndex(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < KnownNames.Length; i++)
        {
            if (Ascii.Equals(name, KnownNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasToken(string list, string token, bool last = false)
    {
        var tokens = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return last
            ? tokens.Length > 0 && tokens[^1].Equals(token, StringComparison.OrdinalIgnoreCase)
            : tokens.Contains(token, StringComparer.OrdinalIgnoreCase);
    }
}
