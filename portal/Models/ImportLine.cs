namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One import batch in the uploads list.</summary>
/// <param name="Kind">单位 or 指标数据.</param>
/// <param name="Year">Year (units).</param>
/// <param name="FileName">File name.</param>
/// <param name="Rows">Rows.</param>
/// <param name="Actor">Who.</param>
/// <param name="At">When.</param>
/// <param name="Periods">The periods of an observations file (<c>2025Q2、2025Q3</c>), or null when not known.</param>
public sealed record ImportLine(string Kind, int? Year, string FileName, int Rows, string Actor, DateTimeOffset At, string? Periods = null);
