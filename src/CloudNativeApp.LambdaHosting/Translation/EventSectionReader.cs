namespace CloudNativeApp.LambdaHosting.Translation;

/// <summary>
/// Walks one object (headers, query parameters) or array (cookies) of an already validated event, property by
/// property and item by item; values come out as text the way events carry them (strings, or the JSON text of
/// numbers and booleans in hand-written events).
/// </summary>
internal ref struct EventSectionReader
{
    private Utf8JsonReader _reader;
    private bool _valueConsumed = true;

    public EventSectionReader(ReadOnlySpan<byte> section)
    {
        _reader = new Utf8JsonReader(section);
        _reader.Read();
        Name = "";
    }

    /// <summary>The current property's name (header names are shared strings).</summary>
    public string Name { get; private set; }

    public readonly JsonTokenType ValueType => _reader.TokenType;

    /// <summary>Moves to the next property of the object and onto its value.</summary>
    public bool MoveToNextProperty()
    {
        SkipUnconsumedValue();
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.PropertyName)
        {
            return false;
        }

        Name = _reader.ValueIsEscaped ? _reader.GetString()! : KnownHeaderNames.Get(_reader.ValueSpan);
        _reader.Read();
        _valueConsumed = _reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
        return true;
    }

    /// <summary>The current value as text, or null for null, objects and arrays.</summary>
    /// <remarks>Not readonly: a readonly member would copy the whole reader to call it.</remarks>
    public string? ValueText() => _reader.TokenType switch
    {
        JsonTokenType.String => _reader.GetString(),
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(_reader.ValueSpan),
        _ => null,
    };

    /// <summary>
    /// The next item of the array the reader is on (the section itself, or the current property's value), as text;
    /// items that are not text give null. False at the end of the array.
    /// </summary>
    public bool MoveToNextItem(out string? text)
    {
        _valueConsumed = true;
        if (!_reader.Read() || _reader.TokenType == JsonTokenType.EndArray)
        {
            text = null;
            return false;
        }

        text = ValueText();
        if (_reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _reader.Skip();
        }

        return true;
    }

    private void SkipUnconsumedValue()
    {
        if (!_valueConsumed)
        {
            _reader.Skip();
            _valueConsumed = true;
        }
    }
}
