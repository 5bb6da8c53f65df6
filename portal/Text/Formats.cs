using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Text;

/// <summary>How numbers, times and states are written on the pages (Chinese, Beijing time).</summary>
public static class Formats
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>A score with two decimals (scores are exact decimals; the pages round only for display, as the PDFs do).</summary>
    public static string Score(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An optional score, or a dash.</summary>
    public static string Score(decimal? value) => value is { } v ? Score(v) : "—";

    /// <summary>A time in Beijing time, to the minute.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An optional time, or a dash.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? Time(t) : "—";

    /// <summary>A period in Chinese (2025年第三季度).</summary>
    public static string Period(Period period) => period.ToChinese();

    /// <summary>A level in Chinese (县（市、区） / 乡镇（街道）).</summary>
    public static string Level(UnitLevel level) => level.ToChinese();

    /// <summary>A rank with its class size: 3/12.</summary>
    public static string Rank(int rank, int peers) => $"{rank}/{peers}";

    /// <summary>A change in places: ↑2, ↓1, 持平, or a dash.</summary>
    public static string RankChange(int? change) => change switch
    {
        null => "—",
        > 0 => $"↑{change}",
        < 0 => $"↓{-change}",
        _ => "持平",
    };

    /// <summary>A run's status in Chinese.</summary>
    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Queued => "排队中",
        RunStatus.Running => "运行中",
        RunStatus.Succeeded => "已完成",
        _ => "失败",
    };

    /// <summary>A list's name as printed: <c>red</c> 红榜, <c>black</c> 黑榜, anything else as it is.</summary>
    public static string List(string list) => list switch { "red" => "红榜", "black" => "黑榜", _ => list };

    /// <summary>An integer, invariant.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators: <c>84,791</c>.</summary>
    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
