using System.Globalization;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// A reporting period, always year-to-date cumulative: <c>YYYY-MM</c> through month MM (months 1–MM, for the monthly
/// progress bulletins), <c>YYYYQn</c> through quarter n, <c>YYYY</c> the whole year.
/// </summary>
public readonly record struct Period : IComparable<Period>
{
    private Period(int year, int quarter, int month)
    {
        Year = year;
        Quarter = quarter;
        Month = month;
    }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>1–4 for a year-to-date quarter period, 0 for a whole year or a month.</summary>
    public int Quarter { get; }

    /// <summary>1–12 for a year-to-date month period (<c>YYYY-MM</c>), 0 for a quarter or a whole year.</summary>
    public int Month { get; }

    /// <summary>True for a whole-year period (<c>YYYY</c>).</summary>
    public bool IsWholeYear => Quarter == 0 && Month == 0;

    /// <summary>True for a month period (<c>YYYY-MM</c>).</summary>
    public bool IsMonth => Month != 0;

    /// <summary>True for a quarter period (<c>YYYYQn</c>).</summary>
    public bool IsQuarter => Quarter != 0;

    /// <summary>The last month the period covers: MM for a month, 3n for quarter n, 12 for a year.</summary>
    public int EndMonth => Month != 0 ? Month : Quarter != 0 ? Quarter * 3 : 12;

    /// <summary>The period's last day (a China date: the end of the month, quarter or year).</summary>
    public DateOnly EndDate => new DateOnly(Year, EndMonth, DateTime.DaysInMonth(Year, EndMonth));

    /// <summary>A quarter period.</summary>
    public static Period OfQuarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        CheckYear(year);
        return new Period(year, quarter, 0);
    }

    /// <summary>A month period (<c>YYYY-MM</c>: months 1–<paramref name="month"/> of the year, cumulative).</summary>
    public static Period OfMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        CheckYear(year);
        return new Period(year, 0, month);
    }

    /// <summary>A whole-year period.</summary>
    public static Period OfYear(int year)
    {
        CheckYear(year);
        return new Period(year, 0, 0);
    }

    /// <summary>Parses <c>YYYY-MM</c> (MM = 01…12), <c>YYYYQn</c> or <c>YYYY</c>.</summary>
    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (text is null) return false;
        if (text.Length == 4 && AllDigits(text))
        {
            period = new Period(int.Parse(text, CultureInfo.InvariantCulture), 0, 0);
            return period.Year >= 1900;
        }
        if (text.Length == 6 && AllDigits(text.AsSpan(0, 4)) && text[4] == 'Q' && text[5] is >= '1' and <= '4')
        {
            period = new Period(int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture), text[5] - '0', 0);
            return period.Year >= 1900;
        }
        if (text.Length == 7 && AllDigits(text.AsSpan(0, 4)) && text[4] == '-' && AllDigits(text.AsSpan(5, 2)))
        {
            var month = (text[5] - '0') * 10 + (text[6] - '0');
            if (month is < 1 or > 12) return false;
            period = new Period(int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture), 0, month);
            return period.Year >= 1900;
        }
        return false;
    }

    /// <summary>Parses <c>YYYY-MM</c>, <c>YYYYQn</c> or <c>YYYY</c>, throwing <see cref="FormatException"/> otherwise.</summary>
    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (YYYY-MM, YYYYQn or YYYY).");

    /// <summary>The period before this one of the same kind (2025-01 → 2024-12, 2025Q1 → 2024Q4, 2025 → 2024).</summary>
    public Period Previous() =>
        Month != 0 ? (Month == 1 ? new Period(Year - 1, 0, 12) : new Period(Year, 0, Month - 1))
        : IsWholeYear ? new Period(Year - 1, 0, 0)
        : Quarter == 1 ? new Period(Year - 1, 4, 0)
        : new Period(Year, Quarter - 1, 0);

    /// <summary>The same period one year earlier (2025-06 → 2024-06, 2025Q2 → 2024Q2, 2025 → 2024).</summary>
    public Period SameLastYear() => new(Year - 1, Quarter, Month);

    /// <summary>
    /// The period in words, e.g. <c>2025年1–6月</c>, <c>2025年第三季度（1—9月累计）</c> or <c>2025年度</c>.
    /// </summary>
    public string ToChinese() => Month switch
    {
        1 => $"{Year}年1月",
        > 1 => $"{Year}年1–{Month}月",
        _ => Quarter switch
        {
            0 => $"{Year}年度",
            1 => $"{Year}年第一季度（1—3月）",
            2 => $"{Year}年第二季度（1—6月累计）",
            3 => $"{Year}年第三季度（1—9月累计）",
            _ => $"{Year}年第四季度（1—12月累计）",
        },
    };

    /// <inheritdoc />
    /// <remarks>By year, then by the last month covered; periods ending together sort month, quarter, year.</remarks>
    public int CompareTo(Period other)
    {
        var byYear = Year.CompareTo(other.Year);
        if (byYear != 0) return byYear;
        var byEnd = EndMonth.CompareTo(other.EndMonth);
        if (byEnd != 0) return byEnd;
        return KindOrder.CompareTo(other.KindOrder);
    }

    private int KindOrder => Month != 0 ? 0 : Quarter != 0 ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() =>
        Month != 0 ? $"{Year:D4}-{Month:D2}"
        : Quarter == 0 ? Year.ToString("D4", CultureInfo.InvariantCulture) : $"{Year:D4}Q{Quarter}";

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1900);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
    }
}
