using System.Net;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>The rulesets page's 停用 button: shown to the office beside the active version, posted with the page's antiforgery token.</summary>
public sealed partial class PortalRulesetDeactivateTests() : PortalAppTest("portal-deactivate")
{
    [Fact]
    public async Task The_office_deactivates_the_active_ruleset_from_the_rulesets_page_and_an_author_cannot()
    {
        using var office = App.Client(App.Token("office"));
        using var author = App.Client(App.Token("author"));
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);

        Assert.DoesNotContain("deactivate-county-2025", await author.GetStringAsync("/rulesets"));
        var page = await office.GetStringAsync("/rulesets");
        var form = DeactivateForm().Match(page);
        Assert.True(form.Success, "the office sees 停用 beside the active version");
        Assert.Contains("data-testid=\"deactivate-county-2025\"", form.Value);
        var token = AntiforgeryToken(form.Value);

        var refused = await author.PostAsync("/rulesets/county-2025/deactivate", Form(token));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var done = await office.PostAsync("/rulesets/county-2025/deactivate", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/rulesets?done=deactivated", done.Headers.Location!.OriginalString);
        Assert.Contains("已停用该规则集", await office.GetStringAsync("/rulesets?done=deactivated"));

        var list = await (await office.GetAsync("/api/rulesets")).JsonAsync(HttpStatusCode.OK);
        Assert.False(Assert.Single(list.EnumerateArray()).GetProperty("active").GetBoolean());
        Assert.DoesNotContain("deactivate-county-2025", await office.GetStringAsync("/rulesets"));
    }

    [Fact]
    public async Task An_author_cannot_activate_or_replace_the_active_ruleset_through_the_api_as_on_the_portal()
    {
        // Issue 19 item 5: the portal refused an author's 启用, the API allowed it, and ?replace=true replaced the active ruleset.
        using var office = App.Client(App.Token("office"));
        using var author = App.Client(App.Token("author"));
        var draft = SampleRulesets.County.Replace("id: county-2025", "id: county-draft", StringComparison.Ordinal);
        await (await author.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await author.PutAsync("/api/rulesets/county-draft", Api.Yaml(draft))).JsonAsync(HttpStatusCode.Created);
        await (await author.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.Forbidden);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        await (await author.PostAsync("/api/rulesets/county-draft/versions/1/activate?replace=true", null)).JsonAsync(HttpStatusCode.Forbidden);
        await (await author.PostAsync("/api/rulesets/county-2025/deactivate", null)).JsonAsync(HttpStatusCode.Forbidden);
        var list = await (await author.GetAsync("/api/rulesets")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["county-2025"], list.EnumerateArray().Where(r => r.GetProperty("active").GetBoolean()).Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Activating_a_second_ruleset_for_a_level_says_which_it_replaces_and_only_an_explicit_replace_switches()
    {
        using var office = App.Client(App.Token("office"));
        var draft = SampleRulesets.County.Replace("id: county-2025", "id: county-draft", StringComparison.Ordinal);
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await office.PutAsync("/api/rulesets/county-draft", Api.Yaml(draft))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);

        var page = await office.GetStringAsync("/rulesets");
        var form = ActivateDraftForm().Match(page);
        Assert.True(form.Success, "the draft has an activate form");
        Assert.Contains("启用并替换 county-2025", form.Value);
        Assert.Contains("name=\"replace\" value=\"true\"", form.Value);
        Assert.Contains("并停用 county-2025？", WebUtility.HtmlDecode(form.Value));
        var token = AntiforgeryToken(form.Value);

        // Without the explicit replace the store refuses (the page shows why); with it the draft is the county's one active ruleset.
        var refused = await office.PostAsync("/rulesets/county-draft/1/activate", Form(token));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var why = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.True(why.Contains("已启用规则集 county-2025@1", StringComparison.Ordinal), why[why.IndexOf("<main", StringComparison.Ordinal)..]);
        var done = await office.PostAsync("/rulesets/county-draft/1/activate",
            new FormUrlEncodedContent(new Dictionary<string, string> { [Antiforgery.FieldName] = token, ["replace"] = "true" }));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var active = (await (await office.GetAsync("/api/rulesets")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()
            .Where(r => r.GetProperty("active").GetBoolean()).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(["county-draft"], active);
        Assert.Contains("启用并替换 county-draft", await office.GetStringAsync("/rulesets"));
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { [Antiforgery.FieldName] = token });

    [GeneratedRegex("""<form method="post" action="/rulesets/county-2025/deactivate".*?</form>""", RegexOptions.Singleline)]
    private static partial Regex DeactivateForm();

    [GeneratedRegex("""<form method="post" action="/rulesets/county-draft/1/activate".*?</form>""", RegexOptions.Singleline)]
    private static partial Regex ActivateDraftForm();
}
