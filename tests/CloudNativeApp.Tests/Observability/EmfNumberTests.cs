using System.Text;
using CloudNativeApp.Observability;

namespace CloudNativeApp.Tests.Observability;

/// <summary>EMF values to the microsecond, as the JSON numbers CloudWatch reads.</summary>
public sealed class EmfNumberTests
{
    [Theory]
    [InlineData(175.4, "175.4")]
    [InlineData(7, "7")]
    [InlineData(0, "0")]
    [InlineData(12.5, "12.5")]
    [InlineData(0.8231234567, "0.823")]
    [InlineData(0.0211, "0.021")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.0005, "0.001")] // half a microsecond rounds away from zero
    [InlineData(0.0004, "0")]
    [InlineData(1999.9996, "2000")]
    [InlineData(-3.25, "-3.25")]
    [InlineData(123456789012.345, "123456789012.345")]
    public void A_value_is_written_to_three_decimals_without_trailing_zeros(double value, string expected)
    {
        var text = new byte[EmfNumber.MaxLength];

        Assert.True(EmfNumber.TryFormat(value, text, out var written));
        Assert.Equal(expected, Encoding.ASCII.GetString(text, 0, written));
        Assert.Equal(Math.Round(value, 3, MidpointRounding.AwayFromZero), double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(9e12)]
    [InlineData(-1e15)]
    public void A_value_out_of_its_range_is_left_to_the_general_formatting(double value)
    {
        Assert.False(EmfNumber.TryFormat(value, new byte[EmfNumber.MaxLength], out _));
    }

    [Fact]
    public void An_invocation_s_line_carries_its_durations_to_the_microsecond()
    {
        var invocation = new EmfInvocation();
        var request = new EmfInstrument("m", "http.server.request.duration", "RequestDuration", EmfUnit.Milliseconds, 1000, hasRequestDimensions: true);
        invocation.Add(request, 0.8231234567 * request.Scale / 1000, [new("http.route", "/items/{id}"), new("http.response.status_code", 200)]);
        var output = new MemoryStream();

        EmfLineWriter.Write(output, invocation, "fn", "id", DateTimeOffset.UnixEpoch);

        Assert.EndsWith("""
            "RequestDuration":0.823}
            """ + "\n", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }
}
