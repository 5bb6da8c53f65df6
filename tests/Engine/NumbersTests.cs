using BaiQianWan.Assess.Rules.Evaluation;
using FsCheck;
using FsCheck.Fluent;

namespace BaiQianWan.Assess.Tests.Engine;

public class NumbersTests
{
    [Theory]
    [InlineData("9.600", "9.6")]
    [InlineData("12.00", "12")]
    [InlineData("-0.50", "-0.5")]
    [InlineData("100", "100")]
    [InlineData("0.000", "0")]
    [InlineData("1200.0", "1200")]
    [InlineData("0.0001000", "0.0001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("7922816251426433759354395.0330", "7922816251426433759354395.033")]
    public void Normalize_drops_trailing_zeros_only(string input, string expected)
    {
        var value = decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Numbers.Plain(value));
        Assert.Equal(value, Numbers.Normalize(value));
    }

    [Fact]
    public void Normalize_gives_the_same_bits_as_dividing_by_one_with_28_zeros()
    {
        // The fast path (64-bit mantissas) must agree bit for bit with the general route it replaces.
        Prop.ForAll<ulong, byte>((mantissa, scaleSeed) =>
        {
            var scale = scaleSeed % 29;
            // Multiples of powers of ten are where trailing zeros come from; mix them in.
            var m = mantissa % 3 == 0 ? mantissa / 1000 * 1000 : mantissa;
            var value = new decimal((int)(uint)m, (int)(uint)(m >> 32), 0, false, (byte)scale);
            var negative = -value;
            return Bits(Numbers.Normalize(value)) == Bits(value / 1.0000000000000000000000000000m)
                && Bits(Numbers.Normalize(negative)) == Bits(negative / 1.0000000000000000000000000000m);
        }).QuickCheckThrowOnFailure();
    }

    private static string Bits(decimal d) => string.Join(",", decimal.GetBits(d));

    [Theory]
    [InlineData("0")]
    [InlineData("-0.00")]
    [InlineData("0.05")]
    [InlineData("-12.3400")]
    [InlineData("1000")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616.5")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("0.45")]
    [InlineData("0.005")]
    [InlineData("123.45")]
    [InlineData("-0.0000000000000000000000000005")]
    [InlineData("0.1000000000000000000000000000")]
    [InlineData("1844674407370955161.5")]
    public void The_data_hash_writes_numbers_as_plain_text(string input)
    {
        var value = decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Numbers.Plain(value), Utf8(value));
    }

    [Fact]
    public void The_data_hash_writes_any_number_as_plain_text() =>
        Prop.ForAll<decimal>(value => Utf8(value) == Numbers.Plain(value)).QuickCheckThrowOnFailure();

    private static string Utf8(decimal value)
    {
        var buffer = new byte[64];
        return System.Text.Encoding.UTF8.GetString(buffer, 0, DataHash.WritePlain(value, buffer));
    }
}
