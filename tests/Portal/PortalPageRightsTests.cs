using System.Net;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Every portal route and the right its page declares (<see cref="PageAttribute"/>, read once per request by the gate),
/// written out here by hand: a page added, removed or given another right changes this table on purpose. Then each page
/// with a right is asked by nobody and by a caller without the right, in the app's own pipeline.
/// </summary>
public sealed class PortalPageRightsTests() : PortalAppTest("page-rights")
{
    /// <summary>Method, route, right ("-" for a page open to every visitor), and whether it is a script's JSON.</summary>
    private static readonly (string Method, string Route, string Right, bool Script)[] Table =
    [
        ("get", "{root:maxlength(0)?}", "-", false),
        ("get", "signin", "-", false),
        ("post", "signin", "-", false),
        ("post", "signout", "-", false),
        ("get", "password", "-", false),
        ("post", "password", "-", false),
        ("get", "office/uploads", "Office", false),
        ("post", "office/uploads/units", "Office", false),
        ("post", "office/uploads/observations", "Office", false),
        ("post", "office/uploads/observations/preview", "Office", false),
        ("post", "office/uploads/observations/confirm", "Office", false),
        ("post", "office/uploads/errors", "Office", false),
        ("get", "office/runs", "Office", false),
        ("post", "office/runs", "Office", false),
        ("get", "office/runs/{id}", "Office", false),
        ("get", "office/runs/{id}/progress", "Office", true),
        ("post", "office/runs/{id}/publish", "Office", false),
        ("get", "office/runs/{id}/units/{code}", "Office", false),
        ("get", "office/runs/{id}/units/{code}/pdf", "Office", false),
        ("get", "office/runs/{id}/bulletins/{class}", "Office", false),
        ("get", "office/runs/{id}/bulletins/{class}/pdf", "Office", false),
        ("get", "office/audit", "Office", false),
        ("get", "office/accounts", "Office", false),
        ("post", "office/accounts", "Office", false),
        ("post", "office/accounts/{name}/{action}", "Office", false),
        ("get", "office/template", "Office", false),
        ("get", "rulesets", "Rulesets", false),
        ("get", "rulesets/new", "Rulesets", false),
        ("get", "rulesets/{id}/{version:int}/edit", "Rulesets", false),
        ("post", "rulesets/check", "Rulesets", false),
        ("post", "rulesets/validate", "Rulesets", true),
        ("post", "rulesets/save", "Rulesets", false),
        ("get", "rulesets/{id}/{version:int}/preview", "Rulesets", false),
        ("get", "rulesets/{id}/diff", "Rulesets", false),
        ("post", "rulesets/{id}/{version:int}/activate", "Office", false),
        ("post", "rulesets/{id}/deactivate", "Office", false),
        ("get", "units/{code}", "Results", false),
        ("get", "units/{code}/scorecards/{period}", "Results", false),
        ("get", "units/{code}/scorecards/{period}/pdf", "Results", false),
        ("get", "units/{code}/bulletin/{period}", "Results", false),
        ("get", "units/{code}/bulletin/{period}/pdf", "Results", false),
        ("get", "units/{code}/towns", "Results", false),
        ("get", "units/{code}/months/{month}/pdf", "Results", false),
        ("get", "units/{code}/month-bulletin/{month}/pdf", "Results", false),
        ("get", "office/ledger", "Ledger", false),
        ("get", "office/ledger/queue", "Ledger", false),
        ("get", "ledger/{year}/tasks/{id}", "Ledger", false),
        ("get", "ledger/{year}/tasks/{id}/files/{sha256}", "Ledger", false),
        ("get", "units/{code}/ledger", "Ledger", false),
        ("post", "ledger/{year}/tasks/{id}/{change}", "Ledger", false),
        ("get", "office/notices", "Review", false),
        ("get", "office/notices/{period}/{level}", "Review", false),
        ("post", "office/notices/{period}/{level}/{action}", "Review", false),
        ("post", "units/{code}/scorecards/{period}/reviews", "Review", false),
        ("post", "reviews/{id}/{action}", "Review", false),
        ("get", "reviews/{id}/files/{sha256}", "Review", false),
    ];

    private static IEnumerable<HttpFunction> Pages => HttpFunctionCatalog.All.Where(f => f.Policy == Policies.Portal);

    [Fact]
    public void Every_portal_route_declares_the_right_the_table_gives_it()
    {
        var declared = Pages
            .SelectMany(f => f.Methods.Select(m => (m, f.Route, f.Page!.Right?.ToString() ?? "-", f.Page.Script)))
            .Order().ToList();
        Assert.Equal(Table.Order().ToList(), declared);
    }

    /// <summary>A caller without the right: an author lacks the office's and results' rights, a unit the rulesets'.</summary>
    private static string Lacking(Right right) => right == Right.Rulesets ? "unit" : "author";

    public static TheoryData<string> GuardedRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var f in Pages.Where(f => f.Page!.Right is not null)) data.Add(f.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(GuardedRoutes))]
    public async Task Nobody_and_a_caller_without_the_right_are_refused_before_the_page_runs(string name)
    {
        var function = HttpFunctionCatalog.Find(name)!;
        var right = function.Page!.Right!.Value;
        // Any values: the gate answers before the page reads them.
        var path = "/" + Regex.Replace(function.Route, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
        {
            "version" => "1",
            "period" => "2025Q3",
            "action" => "disable",
            _ => "x1",
        });
        foreach (var method in function.Methods)
        {
            HttpRequestMessage Request() => new(new HttpMethod(method.ToUpperInvariant()), path)
            {
                Content = method == "post" ? new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = "x" }) : null,
            };
            using var nobody = App.Client(null);
            var anonymous = await nobody.SendAsync(Request());
            using var other = App.Client(Lacking(right) == "unit" ? App.Token("unit", "A1") : App.Token("author"));
            var refused = await other.SendAsync(Request());
            if (function.Page.Script)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("", await refused.Content.ReadAsStringAsync());
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
                Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location!.OriginalString);
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("text/html", refused.Content.Headers.ContentType!.MediaType);
                Assert.Contains("您没有权限查看此页面", await refused.Content.ReadAsStringAsync());
            }
        }
    }
}
