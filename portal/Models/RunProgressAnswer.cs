namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A run's progress as JSON for the run page's polling script.</summary>
/// <param name="Status">queued, running, succeeded or failed.</param>
/// <param name="Finished">True once succeeded or failed (the page reloads).</param>
/// <param name="ScorecardsExpected">Scorecards the results call for, once evaluated.</param>
/// <param name="ScorecardsStored">Scorecards stored so far.</param>
/// <param name="BulletinsExpected">Bulletins the results call for.</param>
/// <param name="BulletinsStored">Bulletins stored so far.</param>
public sealed record RunProgressAnswer(string Status, bool Finished, int? ScorecardsExpected, int? ScorecardsStored, int? BulletinsExpected, int? BulletinsStored);
