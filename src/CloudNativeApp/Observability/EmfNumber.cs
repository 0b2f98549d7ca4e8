using System.Buffers.Text;

namespace CloudNativeApp.Observability;

/// <summary>
/// EMF values as JSON numbers to the microsecond (three decimals of a millisecond, whole counts as integers), written
/// as integer digits. The shortest round-trip text of a double (<c>0.8231234567</c>), which JSON writers produce, took
/// a third of the line's making in a profile of the default Lambda configuration; CloudWatch keeps no finer precision
/// worth that.
/// </summary>
internal static class EmfNumber
{
    /// <summary>Room for any value <see cref="TryFormat"/> formats: a sign, 16 digits, a point.</summary>
    public const int MaxLength = 20;

    // Above this (about 285 years in milliseconds) the microseconds would not fit the integer digits: such a value
    // is left to the general formatting.
    private const double Largest = 9e12;

    /// <summary>
    /// Writes <paramref name="value"/> rounded to three decimals, without trailing zeros (<c>175.4</c>, <c>7</c>,
    /// <c>0.021</c>); false for a value too large or not finite.
    /// </summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!double.IsFinite(value) || Math.Abs(value) >= Largest || destination.Length < MaxLength)
        {
            return false;
        }

        var thousandths = (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);
        if (thousandths < 0)
        {
            destination[written++] = (byte)'-';
            thousandths = -thousandths;
        }

        var (whole, fraction) = Math.DivRem(thousandths, 1000);
        Utf8Formatter.TryFormat(whole, destination[written..], out var digits);
        written += digits;
        if (fraction != 0)
        {
            destination[written++] = (byte)'.';
            // Three digits, then the trailing zeros dropped: 0.5 is "5", 0.05 is "05", 0.021 is "021".
            var scale = 100;
            while (fraction != 0)
            {
                destination[written++] = (byte)('0' + (fraction / scale));
                fraction %= scale;
                scale /= 10;
            }
        }

        return true;
    }
}
