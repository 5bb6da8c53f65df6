using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Issue 19 item 6: control characters in an upload's file name were stored as sent. The name is stored escaped
/// (the content is what is checked; a label must not forge a line of an error list, the import log or the audit).
/// </summary>
public sealed class UploadNameTests
{
    [Theory]
    [InlineData("units.csv", "units.csv")]
    [InlineData("/tmp/dir/单位名单.xlsx", "单位名单.xlsx")]
    [InlineData("a\nb.csv", "a\\nb.csv")]
    [InlineData("a\r\n\tb.csv", "a\\r\\n\\tb.csv")]
    [InlineData("invoice\u202Evsc.exe", "invoice\\u202Evsc.exe")]
    [InlineData("bell\u0007\u0085.csv", "bell\\u0007\\u0085.csv")]
    [InlineData("zero\u200Bwidth.csv", "zero\\u200Bwidth.csv")]
    [InlineData("", "")]
    public void A_name_is_its_last_segment_with_every_control_character_escaped(string given, string stored) =>
        Assert.Equal(stored, UploadNames.Of(given));

    [Fact]
    public void A_long_name_is_cut_to_255_characters()
    {
        var name = UploadNames.Of(new string('x', 300) + ".csv");
        Assert.Equal(255, name.Length);
        Assert.EndsWith("x…", name);
        // Never half a surrogate pair: the cut moves before it.
        Assert.Equal(new string('x', 253) + "…", UploadNames.Of(new string('x', 253) + "😀😀.csv"));
    }
}
