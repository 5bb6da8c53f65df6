using System.Text.Json;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Functions.Triggers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// What the Functions host will see: the <c>functions.metadata</c> the worker SDK generated in the build output
/// (trigger, route and methods, schedule, queue of each function), <c>extensions.json</c> and host.json beside it;
/// and what the app on its own serves: every HTTP trigger's route and methods, and nothing else.
/// </summary>
public sealed class FunctionDefinitionsTests
{
    private static readonly string Output = BuiltApp.Directory;

    private static List<JsonElement> Metadata() =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata"))).RootElement.EnumerateArray().Select(e => e.Clone())];

    private static JsonElement Function(string name) => Metadata().Single(f => f.GetProperty("name").GetString() == name);

    private static List<JsonElement> Bindings(JsonElement function) => [.. function.GetProperty("bindings").EnumerateArray()];

    [Fact]
    public void Metadata_lists_every_http_function_with_its_route_and_methods_and_anonymous_host_auth()
    {
        var http = Metadata().Where(f => Bindings(f).Any(b => b.GetProperty("type").GetString() == "httpTrigger")).ToList();
        // The API's 43 (the portal's pages are HTTP functions too, outside api/).
        Assert.Equal(43, http.Count(f => Bindings(f)[0].GetProperty("route").GetString()!.StartsWith("api/", StringComparison.Ordinal)));
        Assert.Equal(HttpFunctionCatalog.All.Select(f => f.Name), http.Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        foreach (var function in HttpFunctionCatalog.All)
        {
            var bindings = Bindings(Function(function.Name));
            var trigger = bindings.Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(function.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            // The host lets every request through to the worker; the app's middleware authorizes.
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
            Assert.Equal("http", bindings.Single(b => b.GetProperty("direction").GetString() == "Out").GetProperty("type").GetString());
            Assert.Equal($"{function.Method.DeclaringType!.FullName}.{function.Method.Name}", Function(function.Name).GetProperty("entryPoint").GetString());
        }
        Assert.Equal("api/evaluations", Bindings(Function("EvaluationsCreate"))[0].GetProperty("route").GetString());
        Assert.Equal("api/periods/{period}/scorecards/{unitCode}.pdf", Bindings(Function("Scorecard"))[0].GetProperty("route").GetString());
        Assert.Equal("api/rulesets/{id}/versions/{version:int}/preview", Bindings(Function("RulesetsPreview"))[0].GetProperty("route").GetString());
    }

    [Fact]
    public void QuarterlyEvaluation_is_a_timer_at_0200_utc_on_the_5th_of_each_quarters_first_month_writing_to_the_render_queue()
    {
        var bindings = Bindings(Function(QuarterlyEvaluation.Name));
        Assert.Equal(2, bindings.Count);
        var timer = bindings.Single(b => b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal("0 0 2 5 1,4,7,10 *", timer.GetProperty("schedule").GetString());
        var output = bindings.Single(b => b.GetProperty("type").GetString() == "queue");
        Assert.Equal("Out", output.GetProperty("direction").GetString());
        Assert.Equal("render-batches", output.GetProperty("queueName").GetString());
        Assert.Equal("$return", output.GetProperty("name").GetString());
    }

    [Fact]
    public void RenderScorecards_is_a_queue_trigger_on_the_render_queue()
    {
        var trigger = Assert.Single(Bindings(Function(RenderScorecards.Name)));
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal(RenderQueue.Name, trigger.GetProperty("queueName").GetString());
    }

    [Fact]
    public void MonthlyEvaluation_is_a_timer_at_1800_utc_on_the_9th_of_each_month_that_is_0200_china_time_on_the_10th()
    {
        var function = Function(MonthlyEvaluation.Name);
        var timer = Assert.Single(Bindings(function));
        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal("In", timer.GetProperty("direction").GetString());
        Assert.Equal("0 0 18 9 * *", timer.GetProperty("schedule").GetString());
        Assert.Equal("BaiQianWan.Assess.Functions.Triggers.MonthlyEvaluation.Run", function.GetProperty("entryPoint").GetString());
        // Every firing of the year, read by Cronos as the host reads NCRONTAB, is 02:00 on the 10th in China (UTC+8).
        var schedule = Cronos.CronExpression.Parse(timer.GetProperty("schedule").GetString()!, Cronos.CronFormat.IncludeSeconds);
        var firings = schedule.GetOccurrences(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc))
            .Select(t => new DateTimeOffset(t).ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(m => $"{m:D2}-10 02:00"), firings);
    }

    [Fact]
    public void AnnualEvaluation_is_a_timer_at_1800_utc_on_9_january_that_is_0200_china_time_on_10_january_with_the_render_queue_as_output()
    {
        var function = Function(AnnualEvaluation.Name);
        var bindings = Bindings(function).ToList();
        var timer = bindings.Single(b => b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal("0 0 18 9 1 *", timer.GetProperty("schedule").GetString());
        Assert.Equal("BaiQianWan.Assess.Functions.Triggers.AnnualEvaluation.Run", function.GetProperty("entryPoint").GetString());
        var output = bindings.Single(b => b.GetProperty("type").GetString() == "queue");
        Assert.Equal(("Out", RenderQueue.Name), (output.GetProperty("direction").GetString(), output.GetProperty("queueName").GetString()));
        var schedule = Cronos.CronExpression.Parse(timer.GetProperty("schedule").GetString()!, Cronos.CronFormat.IncludeSeconds);
        var firings = schedule.GetOccurrences(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc))
            .Select(t => new DateTimeOffset(t).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["2025-01-10 02:00", "2026-01-10 02:00"], firings);
    }

    [Fact]
    public void Metadata_holds_the_http_functions_and_the_four_others_only()
    {
        Assert.Equal(HttpFunctionCatalog.All.Select(f => f.Name).Append(QuarterlyEvaluation.Name).Append(MonthlyEvaluation.Name).Append(AnnualEvaluation.Name).Append(RenderScorecards.Name)
            .Order(StringComparer.Ordinal),
            Metadata().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_output_holds_extensions_json_with_the_queue_extension_and_the_root_host_json()
    {
        var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "extensions.json"))).RootElement.GetProperty("extensions");
        Assert.Contains(extensions.EnumerateArray(), e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        foreach (var e in extensions.EnumerateArray())
            Assert.True(File.Exists(Path.Combine(Output, e.GetProperty("hintPath").GetString()!)), e.GetProperty("hintPath").GetString());
        Assert.Equal(File.ReadAllText(Repository.Path("host.json")), File.ReadAllText(Path.Combine(Output, "host.json")));
        var host = JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json"))).RootElement;
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _));
        Assert.Equal(HttpFunctionCatalog.RoutePrefix, host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(5, host.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void On_its_own_the_app_serves_every_http_trigger_route_and_nothing_else()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-defs-").FullName;
        using var app = new AssessAppFactory("sqlite", Path.Combine(directory, "a.db"));
        _ = app.Server;
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()))} {e.RoutePattern.RawText}")
            .Order(StringComparer.Ordinal).ToList();
        var declared = Metadata().SelectMany(f => Bindings(f).Where(b => b.GetProperty("type").GetString() == "httpTrigger")
                .Select(b => $"{string.Join(",", b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()))} /{b.GetProperty("route").GetString()}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, served);
    }

    [Fact]
    public void Dotnet_run_starts_the_built_app_on_its_own_rather_than_core_tools()
    {
        // What `dotnet run --project functions` will execute (the worker SDK's default is `func start`).
        var start = new System.Diagnostics.ProcessStartInfo("dotnet",
            ["msbuild", Repository.Path("functions", "BaiQianWan.Assess.Functions.csproj"), "-t:ComputeRunArguments", "-nologo",
             "-getProperty:RunCommand", "-getProperty:RunArguments", "-getProperty:RunWorkingDirectory"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        var properties = JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement.GetProperty("Properties");
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(properties.GetProperty("RunCommand").GetString()));
        Assert.StartsWith("exec ", properties.GetProperty("RunArguments").GetString());
        Assert.EndsWith("BaiQianWan.Assess.Functions.dll\"", properties.GetProperty("RunArguments").GetString());
        Assert.Equal(Repository.Path("functions"), properties.GetProperty("RunWorkingDirectory").GetString());
    }
}
