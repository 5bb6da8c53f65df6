using System.Globalization;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>How numbers, times and hashes read on a document.</summary>
internal static class Formats
{
    /// <summary>China Standard Time: documents print the run's time as officials read it.</summary>
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static string Score(decimal value, int decimals) => Numbers.Fixed(value, decimals);

    /// <summary>A reported figure: as given, without trailing zeros, with thousands separators.</summary>
    public static string Figure(decimal? value)
    {
        if (value is not { } v) return "—";
        var n = Numbers.Normalize(v);
        var scale = Math.Min((int)n.Scale, 4);
        n = Numbers.Round(n, scale);
        return n.ToString("N" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The metric the method read: completion is a ratio (shown in percent), growth is already in percent, a change is
    /// in the indicator's own unit. A method that reads the value itself (bands, formulas on the value) has no metric of
    /// its own to show: the actual value stands in its own column, so this one says "—" rather than repeat it.
    /// </summary>
    public static string Metric(string metric, decimal? value) => value is not { } v ? "—" : metric switch
    {
        "completion" => Numbers.Percent(v),
        "growth" => Numbers.Fixed(v, 2) + "%",
        "change" => Figure(v),
        _ => "—",
    };

    /// <summary>
    /// A target as the method reads it: for a growth indicator the target is a growth rate in percent, not a figure in
    /// the indicator's unit, so it says so (<c>5.00%（增速）</c>); otherwise the figure as given.
    /// </summary>
    public static string Target(string metric, decimal? value) => metric == "growth" && value is { } v
        ? Numbers.Fixed(v, 2) + "%（增速）"
        : Figure(value);

    public static string MetricName(string metric) => metric switch
    {
        "completion" => "完成率",
        "growth" => "增速",
        _ => "数值",
    };

    public static string Signed(decimal value, int decimals) =>
        value > 0 ? "+" + Numbers.Fixed(value, decimals) : value < 0 ? "−" + Numbers.Fixed(-value, decimals) : Numbers.Fixed(0m, decimals);

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "（北京时间）" : "未记录";

    public static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    public static string Version(int? version) => version is { } v ? $"第 {v} 版" : "文件版（未入库）";

    public static decimal Average(IEnumerable<decimal> values, int decimals)
    {
        var sum = 0m;
        var n = 0;
        foreach (var v in values)
        {
            sum += v;
            n++;
        }
        return n == 0 ? 0m : Numbers.Round(sum / n, decimals);
    }
}
