using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A deterministic stand-in for the PDF renderer (the real one is wired in by the lead): each document is a
/// tiny PDF-looking byte array naming the run, the unit or class and its numbers, so tests can check what was served.
/// </summary>
internal sealed class PdfTestRenderer : IDocumentRenderer
{
    /// <summary>What the renderer throws for a ruleset whose id ends in <c>-renderfails</c>.</summary>
    public const string Failure = "test renderer: no fonts for this ruleset";

    public IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous)
    {
        if (result.Ruleset.Id.EndsWith("-renderfails", StringComparison.Ordinal)) throw new InvalidOperationException(Failure);
        var byCode = result.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        return [.. unitCodes.Select(code =>
        {
            var u = byCode[code];
            return StoredDocument.Of(DocumentKind.Scorecard, code, Pdf($"scorecard {code} {u.Name} total {u.Total.ToString(CultureInfo.InvariantCulture)} rank {u.Rank}/{u.Peers} run {stamp.RunId}"));
        })];
    }

    public IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous) =>
        [.. result.Units.Select(u => u.Class).Distinct().Select(c =>
            StoredDocument.Of(DocumentKind.Bulletin, c, Pdf($"bulletin {c} units {result.Units.Count(u => u.Class == c)} run {stamp.RunId}")))];

    /// <summary>The text a document carries (between the header and the trailer).</summary>
    public static string Text(byte[] pdf)
    {
        var s = Encoding.UTF8.GetString(pdf);
        Assert.StartsWith("%PDF-1.4\n%", s);
        Assert.EndsWith("\n%%EOF\n", s);
        return s["%PDF-1.4\n%".Length..^"\n%%EOF\n".Length];
    }

    private static byte[] Pdf(string text) => Encoding.UTF8.GetBytes($"%PDF-1.4\n%{text}\n%%EOF\n");
}
