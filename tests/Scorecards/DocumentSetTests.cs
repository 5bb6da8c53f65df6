using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

public sealed class DocumentSetTests
{
    // Three units of the one class 创先: three scorecards and one bulletin.
    private static readonly Rules.Results.EvaluationResult Result = Small.Evaluate(Small.Ruleset(6),
        [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
        Small.Rows("A", 6, _ => 100) + "\n" + Small.Rows("B", 6, _ => 80) + "\n" + Small.Rows("C", 6, _ => 40));

    [Fact]
    public void Renders_one_scorecard_per_unit_in_rank_order_then_one_bulletin_per_class()
    {
        var set = DocumentSet.RenderAll(Result, Small.Stamp);
        Assert.Equal(["scorecards/A.pdf", "scorecards/B.pdf", "scorecards/C.pdf", "bulletins/创先.pdf"], set.Select(d => d.Path));
        Assert.Contains("丙县", Pdf.Text(set[2].Document.Pdf));
    }

    [Fact]
    public void The_bytes_do_not_depend_on_the_parallelism()
    {
        var one = DocumentSet.RenderAll(Result, Small.Stamp, parallelism: 1);
        var two = DocumentSet.RenderAll(Result, Small.Stamp, parallelism: 2);
        Assert.Equal(one.Select(d => d.Document.Pdf), two.Select(d => d.Document.Pdf));
        Assert.Equal(DocumentSet.Zip(one, Small.Stamp), DocumentSet.Zip(two, Small.Stamp));
    }

    [Theory]
    [InlineData("980101", "980101")] // codes are letters, digits, _ and - already; class names are free text
    [InlineData("a/b\\c:d", "a_b_c_d")]
    [InlineData("..", "_")]
    [InlineData("创先", "创先")]
    public void File_names_replace_characters_no_file_system_accepts(string name, string expected) =>
        Assert.Equal(expected, DocumentSet.FileName(name));
}
