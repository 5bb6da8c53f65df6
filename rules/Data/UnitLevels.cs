namespace BaiQianWan.Assess.Rules.Data;

/// <summary>Conversions between <see cref="UnitLevel"/> and the spelling used in files (<c>county</c>, <c>town</c>, <c>village</c>).</summary>
public static class UnitLevels
{
    /// <summary>The file spelling of a level.</summary>
    public static string ToText(this UnitLevel level) => level switch
    {
        UnitLevel.County => "county",
        UnitLevel.Town => "town",
        UnitLevel.Village => "village",
        UnitLevel.City => "city",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Parses the file spelling of a level (exact, lower case).</summary>
    public static bool TryParse(string? text, out UnitLevel level)
    {
        switch (text)
        {
            case "county": level = UnitLevel.County; return true;
            case "town": level = UnitLevel.Town; return true;
            case "village": level = UnitLevel.Village; return true;
            case "city": level = UnitLevel.City; return true;
            default: level = default; return false;
        }
    }

    /// <summary>The level's Chinese name for display.</summary>
    public static string ToChinese(this UnitLevel level) => level switch
    {
        UnitLevel.County => "县（市、区）",
        UnitLevel.Town => "乡镇（街道）",
        UnitLevel.Village => "行政村",
        UnitLevel.City => "地级市",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
