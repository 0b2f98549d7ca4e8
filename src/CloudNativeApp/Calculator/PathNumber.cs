namespace CloudNativeApp.Calculator;

/// <summary>
/// A number in a calculator path, read as a JSON body's number is: invariant culture, an optional leading '-', a
/// decimal point and an exponent (<c>1e5</c>); no thousands separators (<c>1,5</c> is not 15), no trailing sign
/// (<c>1-</c>), no spaces. Route binding of <c>decimal</c> would take all of those (<c>NumberStyles.Number</c>).
/// </summary>
public static class PathNumber
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        // NumberStyles cannot refuse a leading '+' or a bare '.5' / '5.', which JSON does not allow either.
        return text is { Length: > 0 } && text[0] != '+' && !text.StartsWith('.') && !text.StartsWith("-.", StringComparison.Ordinal)
            && !text.Contains(".e", StringComparison.OrdinalIgnoreCase) && !text.EndsWith('.')
            && decimal.TryParse(text, Style, CultureInfo.InvariantCulture, out value);
    }

    public static decimal Parse(string text) => TryParse(text, out var value) ? value : throw new FormatException(Invalid(text));

    public static string Invalid(string text) =>
        $"'{text}' is not a number: write it as in JSON, e.g. -1.5 or 1e5 (a '.' for decimals, no thousands separators, "
        + "within about ±7.9e28).";
}
