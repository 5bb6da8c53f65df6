using System.Collections;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Scorecards;
using static BaiQianWan.Assess.Tests.Functions.GeneratedClient;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Issue 22 item 16, done when "a client generated from the API description runs an evaluation end to end": the app is
/// started alone (<see cref="StandaloneApp"/>: its own process, Kestrel, SQLite, the real PDF renderer, JWTs), its
/// <c>/api/openapi.json</c> is read as a caller would read it, NSwag generates a C# client from it, Roslyn compiles the
/// client in memory, and only that client is used: units and observations uploaded, a ruleset stored and activated, an
/// evaluation started and polled until it succeeds, published, the rankings read, and a county's scorecard downloaded.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class OpenApiClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-openapi-").FullName;
    private readonly StandaloneApp _server;

    public OpenApiClientTests() => _server = new StandaloneApp(Path.Combine(_dir, "assess.db"));

    public void Dispose()
    {
        _server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private HttpClient Http(string baseUrl, string role, string? unit = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _server.Token(role, unit));
        return http;
    }

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] arguments) => arguments.ToDictionary(a => a.Name, a => a.Value);

    [Fact]
    public async Task A_client_generated_from_the_served_description_runs_an_evaluation_end_to_end()
    {
        var baseUrl = await _server.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var code = await GenerateAsync(await anonymous.GetStringAsync("/api/openapi.json"));
        using var officeHttp = Http(baseUrl, "office");
        var office = Compile(code, officeHttp);

        // Upload units and observations (files, as FileParameter bodies).
        object File(byte[] content, string name) => Activator.CreateInstance(office.Type("FileParameter"), new MemoryStream(content), name, "text/csv")!;
        var units = (await office.CallAsync("UnitsImport", Args(("year", 2025), ("file", "units.csv"), ("body", File(TestProvince.UnitsCsv(), "units.csv")))))!;
        Assert.Equal(office.EnumValue("ImportKind", "units"), Get(units, "Kind"));
        Assert.Equal(TestProvince.Units.Count, Get(units, "RowCount"));
        Assert.Equal(false, Get(units, "AlreadyImported"));
        var observations = (await office.CallAsync("ObservationsImport",
            Args(("period", "2025Q3"), ("file", "observations.csv"), ("body", File(TestProvince.ObservationsCsv(), "observations.csv")))))!;
        Assert.Equal(TestProvince.Observations.Count, Get(observations, "RowCount"));

        // Store the ruleset (a new version: 201) and activate it.
        var stored = (await office.CallAsync("RulesetsPut", Args(("id", "county-2025"), ("body", SampleRulesets.County))))!;
        Assert.Equal(1, Get(stored, "Version"));
        var active = (await office.CallAsync("RulesetsActivate", Args(("id", "county-2025"), ("version", 1))))!;
        Assert.Equal(true, Get(active, "Active"));

        // Start an evaluation (202) and poll it until it has ended.
        var ask = office.New("EvaluationRequest", new Dictionary<string, object?>
        {
            ["Period"] = "2025Q3",
            ["Level"] = office.EnumValue("Level", "county"),
            ["Ruleset"] = "county-2025",
        });
        var run = (await office.CallAsync("EvaluationsCreate", Args(("body", ask))))!;
        var id = (string)Get(run, "Id")!;
        Assert.Equal(office.EnumValue("RunStatus", "queued"), Get(run, "Status"));
        var ended = new[] { office.EnumValue("RunStatus", "succeeded"), office.EnumValue("RunStatus", "failed") };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!ended.Contains(Get(run, "Status")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            run = (await office.CallAsync("EvaluationsGet", Args(("id", id))))!;
        }
        Assert.True(Get(run, "Status")!.Equals(ended[0]), $"run {id}: {Get(run, "Status")} {Get(run, "Reason")}");
        var scored = TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄");
        var documents = Get(run, "Documents")!;
        Assert.Equal(scored, Get(documents, "ScorecardsStored"));
        Assert.Equal(scored, Get(documents, "ScorecardsExpected"));

        // Publish it, then read the published rankings through the client's typed results.
        var publication = (await office.CallAsync("EvaluationsPublish", Args(("id", id))))!;
        Assert.Equal(id, Get(publication, "RunId"));
        Assert.Equal(1, Get(publication, "Revision"));
        var results = (await office.CallAsync("Rankings", Args(("period", "2025Q3"), ("level", office.EnumValue("Level", "county")))))!;
        var ranked = ((IEnumerable)Get(results, "Units")!).Cast<object>().ToList();
        Assert.Equal(scored, ranked.Count);
        // In each class the ranks are 1..n by total, best first (ties share a rank).
        foreach (var byClass in ranked.GroupBy(u => (string)Get(u, "Class")!))
        {
            var ordered = byClass.OrderBy(u => (int?)Get(u, "Rank")).ToList();
            Assert.Equal(1, Get(ordered[0], "Rank"));
            Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True((decimal)Get(pair.First, "Total")! >= (decimal)Get(pair.Second, "Total")!));
        }
        var a = TestProvince.CountyA;
        var unitA = ranked.Single(u => (string)Get(u, "Code")! == a.Code);

        // County A downloads its own published scorecard: a real PDF naming it, its total and the run.
        using var unitHttp = Http(baseUrl, "unit", a.Code);
        var county = office.On(unitHttp); // the same generated code, compiled once
        using var file = (IDisposable)(await county.CallAsync("Scorecard", Args(("period", "2025Q3"), ("unitCode", a.Code))))!;
        Assert.Equal(200, Get(file, "StatusCode"));
        using var pdf = new MemoryStream();
        await ((Stream)Get(file, "Stream")!).CopyToAsync(pdf);
        var bytes = pdf.ToArray();
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        var text = Pdf.Flat(Pdf.Text(bytes));
        Assert.Contains(a.Name, text);
        Assert.Contains(id, text);
        var decimals = (int)Get(Get(results, "Ruleset")!, "Decimals")!;
        Assert.Contains(((decimal)Get(unitA, "Total")!).ToString("F" + decimals, CultureInfo.InvariantCulture), text);

        // A refusal reaches the caller as the client's typed problem: county B's scorecard is not A's to read.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => county.CallAsync("Scorecard", Args(("period", "2025Q3"), ("unitCode", TestProvince.CountyB.Code))));
        Assert.Equal(403, Get(refused, "StatusCode"));
        var problem = Get(refused, "Result")!;
        Assert.Equal("无权访问", Get(problem, "Title"));
        Assert.Equal(403, Get(problem, "Status"));
    }
}
