namespace BaiQianWan.Assess.Scorecards;

/// <summary>Renders scorecards and bulletins to PDF (being built: issue 3).</summary>
public static class ScorecardRenderer
{
}
