namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>Where one JSON value sits in the event bytes; turned into a string only when a translator asks for it.</summary>
internal readonly record struct EventValue(JsonTokenType Type, int Start, int Length, bool IsEscaped)
{
    public bool IsString => Type == JsonTokenType.String;

    public bool IsObject => Type == JsonTokenType.StartObject;

    public bool IsArray => Type == JsonTokenType.StartArray;

    /// <summary>The value the reader is positioned on; containers are skipped to their end so the location covers them.</summary>
    public static EventValue ReadCurrent(ref Utf8JsonReader reader)
    {
        var type = reader.TokenType;
        var start = (int)reader.TokenStartIndex;
        switch (type)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return new(type, start, (int)reader.TokenStartIndex + 1 - start, false);
            case JsonTokenType.String:
                // The span is the escaped text between the quotes.
                return new(type, start, reader.ValueSpan.Length + 2, reader.ValueIsEscaped);
            default:
                return new(type, start, reader.ValueSpan.Length, false);
        }
    }
}
