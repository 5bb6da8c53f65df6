using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Reviews;

/// <summary>The notice period's arithmetic (公示期): calendar days in China time.</summary>
public static class Notice
{
    /// <summary>China time (UTC+8, no daylight saving).</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Most days of a notice period.</summary>
    public const int MaxDays = 90;

    /// <summary>
    /// The deadline of a notice of <paramref name="days"/> days published at <paramref name="publishedAt"/>: the end of the
    /// N-th calendar day after the day of publication in China time, given as the instant that day ends (the next day's
    /// 00:00 China time, exclusive): published 2026-03-10 15:00 with 5 days, requests are taken until 2026-03-15 24:00,
    /// i.e. before 2026-03-16 00:00+08:00.
    /// </summary>
    public static DateTimeOffset Deadline(DateTimeOffset publishedAt, int days)
    {
        CheckDays(days);
        var day = publishedAt.ToOffset(ChinaOffset).Date;
        return new DateTimeOffset(day.AddDays(days + 1), ChinaOffset);
    }

    /// <summary>The last day of the notice (China time) of a deadline from <see cref="Deadline"/>.</summary>
    public static DateOnly LastDay(DateTimeOffset deadline) => DateOnly.FromDateTime(deadline.ToOffset(ChinaOffset).Date.AddDays(-1));

    /// <summary>The deadline as people read it: <c>2026-03-15 24:00（北京时间）</c>.</summary>
    public static string Text(DateTimeOffset deadline) => $"{LastDay(deadline):yyyy-MM-dd} 24:00（北京时间）";

    /// <summary>Refuses a number of notice days out of 1–<see cref="MaxDays"/> (<see cref="StoreError.Invalid"/>).</summary>
    public static void CheckDays(int days)
    {
        if (days is < 1 or > MaxDays)
            throw new StoreException(StoreError.Invalid, $"公示天数应为 1–{MaxDays} 的整数，这里是 {days}");
    }
}
