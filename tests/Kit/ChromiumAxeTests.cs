using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// <see cref="Chromium.AxeAsync"/> finds what Deque's own <c>page.RunAxe()</c> finds: on a page with known faults (an image
/// without text, a button without a name, grey on white, a field without a label) both report the same rules with the same
/// impacts and the same nodes; on a clean page neither reports anything.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class ChromiumAxeTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Faulty = """
        <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>有错的页</title></head><body><main>
        <h1>有错的页</h1>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <button></button>
        <p style="color:#ccc;background:#fff">浅灰色的字</p>
        <input type="text">
        </main></body></html>
        """;

    private const string Clean = """
        <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>干净的页</title></head><body><main>
        <h1>干净的页</h1><p>正文。</p><label for="x">名称</label><input id="x" type="text"><button>提交</button>
        </main></body></html>
        """;

    private async Task<(string[] Ours, string[] Deques)> BothAsync(string html)
    {
        await using var context = await chromium.ContextAsync(1280);
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);
        var ours = await Chromium.AxeAsync(page);
        var again = await Chromium.AxeAsync(page); // axe already in the page: run again, same answer
        var deques = await page.RunAxe();
        string[] Lines(Deque.AxeCore.Commons.AxeResult r) =>
            [.. r.Violations.SelectMany(v => v.Nodes.Select(n => $"{v.Id} {v.Impact} {n.Html}")).Order(StringComparer.Ordinal)];
        Assert.Equal(Lines(ours), Lines(again));
        return (Lines(ours), Lines(deques));
    }

    [Fact]
    public async Task On_a_faulty_page_it_reports_the_violations_deques_runner_reports()
    {
        var (ours, deques) = await BothAsync(Faulty);
        Assert.Equal(deques, ours);
        foreach (var rule in new[] { "image-alt critical", "button-name critical", "color-contrast serious", "label critical" })
            Assert.Contains(ours, l => l.StartsWith(rule + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_clean_page_neither_reports_anything()
    {
        var (ours, deques) = await BothAsync(Clean);
        Assert.Empty(deques);
        Assert.Empty(ours);
    }
}
