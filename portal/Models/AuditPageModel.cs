namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The audit log, filtered.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Actor">Filter: who.</param>
/// <param name="Action">Filter: action.</param>
/// <param name="Text">Filter: text anywhere.</param>
/// <param name="Actions">Every action in the log (the filter's choices).</param>
/// <param name="Entries">Matching entries, newest first.</param>
/// <param name="Total">Entries in the whole log.</param>
public sealed record AuditPageModel(PageFrame Frame, string? Actor, string? Action, string? Text, IReadOnlyList<string> Actions, IReadOnlyList<AuditLine> Entries, int Total);
