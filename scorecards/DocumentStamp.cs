namespace BaiQianWan.Assess.Scorecards;

/// <summary>What a document prints about the run that produced it; never the wall clock.</summary>
/// <param name="RunId">Run id, printed in the footer and the seed of the PDF document id.</param>
/// <param name="At">The run's own time (printed, and the PDF's creation date), or null when the run has none.</param>
/// <param name="Sample">Sample data: the document carries a visible 示例数据 mark.</param>
public sealed record DocumentStamp(string RunId, DateTimeOffset? At, bool Sample);
