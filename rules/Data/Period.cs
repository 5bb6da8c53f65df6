using System.Globalization;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// A reporting period: <c>YYYYQn</c> is year-to-date cumulative through quarter n, <c>YYYY</c> the whole year.
/// </summary>
public readonly record struct Period : IComparable<Period>
{
    private Period(int year, int quarter)
    {
        Year = year;
        Quarter = quarter;
    }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>1–4 for a year-to-date quarter period, 0 for a whole year.</summary>
    public int Quarter { get; }

    /// <summary>True for a whole-year period (<c>YYYY</c>).</summary>
    public bool IsWholeYear => Quarter == 0;

    /// <summary>A quarter period.</summary>
    public static Period OfQuarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        CheckYear(year);
        return new Period(year, quarter);
    }

    /// <summary>A whole-year period.</summary>
    public static Period OfYear(int year)
    {
        CheckYear(year);
        return new Period(year, 0);
    }

    /// <summary>Parses <c>YYYYQn</c> or <c>YYYY</c>.</summary>
    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (text is null) return false;
        if (text.Length == 4 && AllDigits(text))
        {
            period = new Period(int.Parse(text, CultureInfo.InvariantCulture), 0);
            return period.Year >= 1900;
        }
        if (text.Length == 6 && AllDigits(text.AsSpan(0, 4)) && text[4] == 'Q' && text[5] is >= '1' and <= '4')
        {
            period = new Period(int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture), text[5] - '0');
            return period.Year >= 1900;
        }
        return false;
    }

    /// <summary>Parses <c>YYYYQn</c> or <c>YYYY</c>, throwing <see cref="FormatException"/> otherwise.</summary>
    public static Period Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a period (YYYYQn or YYYY).");

    /// <summary>The period before this one of the same kind (2025Q1 → 2024Q4, 2025 → 2024).</summary>
    public Period Previous() => IsWholeYear ? new Period(Year - 1, 0)
        : Quarter == 1 ? new Period(Year - 1, 4) : new Period(Year, Quarter - 1);

    /// <summary>The period in words, e.g. <c>2025年第三季度（1—9月累计）</c> or <c>2025年度</c>.</summary>
    public string ToChinese() => Quarter switch
    {
        0 => $"{Year}年度",
        1 => $"{Year}年第一季度（1—3月）",
        2 => $"{Year}年第二季度（1—6月累计）",
        3 => $"{Year}年第三季度（1—9月累计）",
        _ => $"{Year}年第四季度（1—12月累计）",
    };

    /// <inheritdoc />
    public int CompareTo(Period other)
    {
        var byYear = Year.CompareTo(other.Year);
        if (byYear != 0) return byYear;
        // The whole year sorts after its fourth quarter.
        return (Quarter == 0 ? 5 : Quarter).CompareTo(other.Quarter == 0 ? 5 : other.Quarter);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Quarter == 0 ? Year.ToString("D4", CultureInfo.InvariantCulture) : $"{Year:D4}Q{Quarter}";

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
