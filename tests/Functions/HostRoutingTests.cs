using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The routes the Functions host will build from the generated <c>functions.metadata</c> and host.json, built here the way
/// the host builds them (its <c>HttpInitializationService</c> and <c>WebJobsRouteBuilder</c>: an empty route becomes the
/// function's name, the route prefix goes in front, each route is an ASP.NET Core <see cref="Route"/> with an
/// <c>httpMethod</c> constraint), then asked which function each portal and API address reaches. Core tools are not
/// installed here: this checks the metadata against the host's rules, not a running host.
/// </summary>
public sealed class HostRoutingTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddRouting().AddLogging().BuildServiceProvider();

    private static List<(string Function, Route Route)> HostRoutes()
    {
        var prefix = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuiltApp.Directory, "host.json"))).RootElement
            .GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();
        var resolver = Services.GetRequiredService<IInlineConstraintResolver>();
        var routes = new List<(string, Route)>();
        foreach (var function in JsonDocument.Parse(File.ReadAllText(Path.Combine(BuiltApp.Directory, "functions.metadata"))).RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger") continue;
                var route = binding.TryGetProperty("route", out var r) ? r.GetString() : null;
                if (string.IsNullOrEmpty(route)) route = name;
                var template = string.IsNullOrEmpty(prefix) ? route : prefix + "/" + route;
                var methods = binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray();
                routes.Add((name, new Route(new RouteHandler(_ => Task.CompletedTask), name, template, null,
                    new Dictionary<string, object> { ["httpMethod"] = new HttpMethodRouteConstraint(methods) }, null, resolver)));
            }
        }
        return routes;
    }

    private static async Task<List<string>> MatchesAsync(List<(string Function, Route Route)> routes, string method, string path)
    {
        var matched = new List<string>();
        foreach (var (function, route) in routes)
        {
            var http = new DefaultHttpContext { RequestServices = Services };
            http.Request.Method = method;
            http.Request.Path = path;
            var context = new RouteContext(http);
            await route.RouteAsync(context);
            if (context.Handler is not null) matched.Add(function);
        }
        return matched;
    }

    [Theory]
    [InlineData("GET", "/", "PortalHome")]
    [InlineData("GET", "/signin", "PortalSignInPage")]
    [InlineData("POST", "/signin", "PortalSignIn")]
    [InlineData("POST", "/signout", "PortalSignOut")]
    [InlineData("GET", "/password", "PortalPasswordPage")]
    [InlineData("GET", "/assets/portal.css", "PortalAsset")]
    [InlineData("GET", "/office/uploads", "PortalUploads")]
    [InlineData("POST", "/office/uploads/units", "PortalUploadUnits")]
    [InlineData("GET", "/office/runs", "PortalRuns")]
    [InlineData("POST", "/office/runs", "PortalRunStart")]
    [InlineData("GET", "/office/runs/run-000001", "PortalRun")]
    [InlineData("GET", "/office/runs/run-000001/progress", "PortalRunProgress")]
    [InlineData("GET", "/office/runs/run-000001/units/440825", "PortalRunScorecard")]
    [InlineData("GET", "/office/runs/run-000001/units/440825/pdf", "PortalRunScorecardPdf")]
    [InlineData("GET", "/office/runs/run-000001/bulletins/%E5%88%9B%E5%85%88", "PortalRunBulletin")]
    [InlineData("GET", "/office/runs/run-000001/bulletins/%E5%88%9B%E5%85%88/pdf", "PortalRunBulletinPdf")]
    [InlineData("GET", "/office/audit", "PortalAudit")]
    [InlineData("POST", "/office/accounts/county-a/reset", "PortalAccountChange")]
    [InlineData("GET", "/rulesets", "PortalRulesets")]
    [InlineData("GET", "/rulesets/new", "PortalRulesetNew")]
    [InlineData("GET", "/rulesets/county-2025/3/edit", "PortalRulesetEdit")]
    [InlineData("POST", "/rulesets/validate", "PortalRulesetValidate")]
    [InlineData("GET", "/rulesets/county-2025/diff", "PortalRulesetDiff")]
    [InlineData("GET", "/units/440825", "PortalUnitHome")]
    [InlineData("GET", "/units/440825/scorecards/2025Q3/pdf", "PortalScorecardPdf")]
    [InlineData("GET", "/units/440825/bulletin/2025Q3", "PortalBulletin")]
    [InlineData("GET", "/units/440825/months/2025-09/pdf", "PortalMonthPdf")]
    [InlineData("GET", "/units/440825/month-bulletin/2025-09/pdf", "PortalMonthBulletinPdf")]
    [InlineData("GET", "/api/periods/2025Q3/scorecards/440825.pdf", "Scorecard")]
    [InlineData("GET", "/api/periods/2025Q3/scorecards.zip", "ScorecardsZip")]
    [InlineData("GET", "/api/evaluations/run-000001/results.xlsx", "EvaluationsResultsXlsx")]
    [InlineData("GET", "/api/evaluations/run-000001", "EvaluationsGet")]
    [InlineData("GET", "/api/periods/2025Q3/results/440825.xlsx", "UnitResultsXlsx")]
    [InlineData("GET", "/api/openapi.json", "OpenApi")]
    public async Task Each_address_reaches_exactly_its_function_under_the_hosts_routing(string method, string path, string function)
    {
        Assert.Equal([function], await MatchesAsync(HostRoutes(), method, path));
    }

    [Fact]
    public async Task Only_the_empty_path_reaches_the_root_function_and_no_route_is_a_function_name()
    {
        var routes = HostRoutes();
        foreach (var path in new[] { "/PortalHome", "/x", "/office" })
            Assert.DoesNotContain("PortalHome", await MatchesAsync(routes, "GET", path));
        // Nothing fell back to the host's default (its name), and nothing sits under the host's own admin and runtime paths.
        Assert.All(routes, r => Assert.NotEqual(r.Function, r.Route.RouteTemplate));
        Assert.All(routes, r => Assert.False(r.Route.RouteTemplate!.StartsWith("admin", StringComparison.OrdinalIgnoreCase)
            || r.Route.RouteTemplate.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), r.Route.RouteTemplate));
    }
}
