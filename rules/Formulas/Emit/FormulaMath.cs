namespace BaiQianWan.Assess.Rules.Formulas.Emit;

/// <summary>
/// The run-time parts of <c>^</c> and <c>ROUND</c> that System.Decimal does not provide as the spec wants them.
/// Failures throw: <see cref="FormulaEvaluationException"/> for the spec's own rules, and the ordinary
/// <see cref="DivideByZeroException"/> / <see cref="OverflowException"/> for arithmetic, which
/// <see cref="CompiledFormula"/> maps to reasons.
/// </summary>
internal static class FormulaMath
{
    /// <summary>Largest power of ten a decimal holds exactly (10^28 &lt; 2^96).</summary>
    private const int MaxPowerOfTen = 28;

    /// <summary><paramref name="x"/>^<paramref name="n"/> for whole n, exact up to decimal precision; 0^0 = 1.</summary>
    public static decimal Power(decimal x, decimal n)
    {
        if (n != decimal.Truncate(n)) throw new FormulaEvaluationException(FormulaMessages.NonWholeExponent);
        if (n == 0m) return 1m;
        var magnitude = RaiseToWhole(x, Math.Abs(n));
        if (n > 0m) return magnitude;
        // x^|n| rounded to zero means 1/x^|n| is far beyond decimal range; dividing would misreport it as
        // a division by zero. A true 0^-k still divides by zero below, as the spec says.
        if (magnitude == 0m && x != 0m) throw new OverflowException();
        return 1m / magnitude;
    }

    /// <summary>
    /// ROUND(x, n): half away from zero at 10^-n. n &gt; 28 leaves x as it is (a decimal has no more places);
    /// negative n rounds to tens, hundreds, ….
    /// </summary>
    public static decimal Round(decimal x, decimal digits)
    {
        if (digits != decimal.Truncate(digits)) throw new FormulaEvaluationException(FormulaMessages.NonWholeRoundDigits);
        if (digits > MaxPowerOfTen) return x;
        if (digits >= 0m) return decimal.Round(x, (int)digits, MidpointRounding.AwayFromZero);
        return RoundToPowerOfTen(x, -digits);
    }

    /// <summary>(v3) FLOOR(x): the greatest whole number ≤ x.</summary>
    public static decimal Floor(decimal x) => decimal.Floor(x);

    /// <summary>(v3) FLOOR(x, s) = s × FLOOR(x / s), s &gt; 0 (Excel's FLOOR.MATH: FLOOR(−7.5, 2) = −8).</summary>
    public static decimal Floor(decimal x, decimal step)
    {
        if (step <= 0m) throw new FormulaEvaluationException(FormulaMessages.NonPositiveStep);
        return step * decimal.Floor(x / step);
    }

    /// <summary>(v3) CEILING(x): the least whole number ≥ x.</summary>
    public static decimal Ceiling(decimal x) => decimal.Ceiling(x);

    /// <summary>(v3) CEILING(x, s) = s × CEILING(x / s), s &gt; 0.</summary>
    public static decimal Ceiling(decimal x, decimal step)
    {
        if (step <= 0m) throw new FormulaEvaluationException(FormulaMessages.NonPositiveStep);
        return step * decimal.Ceiling(x / step);
    }

    /// <summary>(v3) TRUNC(x): drops the fraction toward zero.</summary>
    public static decimal Trunc(decimal x) => decimal.Truncate(x);

    /// <summary>(v3) TRUNC(x, n): drops digits toward zero after n places (negative n: to tens, hundreds).</summary>
    public static decimal Trunc(decimal x, decimal digits)
    {
        if (digits != decimal.Truncate(digits)) throw new FormulaEvaluationException(FormulaMessages.NonWholeTruncDigits);
        if (digits > MaxPowerOfTen) return x;
        if (digits >= 0m) return decimal.Round(x, (int)digits, MidpointRounding.ToZero);
        if (-digits > MaxPowerOfTen) return 0m;
        var unit = 1m;
        for (var i = 0; i < (int)-digits; i++) unit *= 10m;
        return x - x % unit;
    }

    /// <summary>Rounds to a multiple of 10^k (k ≥ 1), half away from zero.</summary>
    private static decimal RoundToPowerOfTen(decimal x, decimal k)
    {
        if (k > MaxPowerOfTen)
        {
            // 10^k is not representable. Only k = 29 can round up, and only to ±10^29, which is out of range.
            if (k == MaxPowerOfTen + 1 && Math.Abs(x) >= 5e28m) throw new OverflowException();
            return 0m;
        }
        var unit = 1m;
        for (var i = 0; i < (int)k; i++) unit *= 10m;
        // Remainder, subtraction and the comparison with half a unit are all exact, unlike x / unit (or 2 × the
        // remainder), whose rounding to 28 digits could fake a midpoint.
        var remainder = x % unit;
        var truncated = x - remainder;
        if (Math.Abs(remainder) < unit / 2m) return truncated;
        return x < 0m ? truncated - unit : truncated + unit;
    }

    private static decimal RaiseToWhole(decimal x, decimal exponent)
    {
        // These bases never change magnitude; answering directly keeps a huge exponent from looping.
        if (x == 0m || x == 1m) return x;
        if (x == -1m) return exponent % 2m == 0m ? 1m : -1m;

        if (exponent <= int.MaxValue)
        {
            var result = 1m;
            var power = x;
            for (var e = (int)exponent; ; )
            {
                if ((e & 1) != 0) result *= power;
                e >>= 1;
                if (e == 0) return result;
                // Squared only while a higher bit remains, so it never overflows where the result would not.
                power *= power;
            }
        }

        var big = 1m;
        var square = x;
        for (var e = exponent; ; )
        {
            if (e % 2m != 0m) big *= square;
            e = decimal.Truncate(e / 2m);
            if (e == 0m) return big;
            square *= square;
        }
    }
}
