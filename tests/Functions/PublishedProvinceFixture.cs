using System.Net;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// An app on one store with the test province uploaded through the API, both sample rulesets active, and the
/// 2025Q3 county and town runs evaluated, rendered and published: the state offices leave behind each quarter.
/// </summary>
public abstract class PublishedProvinceFixture : IAsyncLifetime
{
    public AssessAppFactory App { get; private set; } = null!;

    public HttpClient Office { get; private set; } = null!;

    public string CountyRunId { get; private set; } = "";

    public string TownRunId { get; private set; } = "";

    /// <summary>Creates the app on this fixture's store.</summary>
    protected abstract Task<AssessAppFactory> CreateAppAsync();

    /// <summary>Releases the store.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        App = await CreateAppAsync();
        Office = App.Client(App.Token("office"));
        await (await Office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await Office.PutAsync("/api/periods/2025Q3/observations?file=observations.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        foreach (var (id, yaml) in new[] { ("county-2025", SampleRulesets.County), ("town-2025", SampleRulesets.Town) })
        {
            await (await Office.PutAsync($"/api/rulesets/{id}", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
            await (await Office.PostAsync($"/api/rulesets/{id}/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        }
        CountyRunId = await EvaluateAndPublishAsync("county", "county-2025");
        TownRunId = await EvaluateAndPublishAsync("town", "town-2025");
    }

    private async Task<string> EvaluateAndPublishAsync(string level, string ruleset)
    {
        var queued = await (await Office.PostAsync("/api/evaluations",
            Api.Json($$"""{"period":"2025Q3","level":"{{level}}","ruleset":"{{ruleset}}","version":null}"""))).JsonAsync(HttpStatusCode.Accepted);
        var id = queued.GetProperty("id").GetString()!;
        var run = await Api.WaitForRunAsync(Office, id);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        await (await Office.PostAsync($"/api/evaluations/{id}/publish", null)).JsonAsync(HttpStatusCode.OK);
        return id;
    }

    public async Task DisposeAsync()
    {
        Office?.Dispose();
        if (App is not null) await App.DisposeAsync();
        await DisposeStoreAsync();
    }
}

/// <summary>The published province on a SQLite file of its own.</summary>
public sealed class SqlitePublishedProvince : PublishedProvinceFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bqw-functions-" + Guid.NewGuid().ToString("N"));

    protected override Task<AssessAppFactory> CreateAppAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(new AssessAppFactory("sqlite", Path.Combine(_directory, "assess.db")));
    }

    protected override Task DisposeStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>The published province on Azure storage: the run's one Azurite, under a prefix of its own.</summary>
public sealed class AzuritePublishedProvince(BaiQianWan.Assess.Tests.Store.AzuriteFixture azurite) : PublishedProvinceFixture
{
    protected override Task<AssessAppFactory> CreateAppAsync() =>
        Task.FromResult(new AssessAppFactory("azure", azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Store:Prefix"] = BaiQianWan.Assess.Tests.Store.AzuriteFixture.NewPrefix("p"),
        }));
}
