using System.Net;
using System.Text;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Hosted on Azure storage, every successful import is followed by a sweep of superseded data, so storage
/// does not grow with re-imports; <c>Store:SweepAfterImport=false</c> turns it off.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class SweepAfterImportTests(AzuriteFixture azurite)
{
    /// <summary>The period's observations with the first figure set to <paramref name="actual"/>, so each file differs.</summary>
    private static ByteArrayContent Observations(int actual)
    {
        var lines = Encoding.UTF8.GetString(TestProvince.ObservationsCsv()).Split('\n');
        var fields = lines[1].Split(',');
        fields[3] = actual.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lines[1] = string.Join(',', fields);
        return Api.Csv(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
    }

    private static async Task<(AssessAppFactory App, HttpClient Office)> StartAsync(string connection, string prefix, bool sweep)
    {
        var app = new AssessAppFactory("azure", connection, new Dictionary<string, string?>
        {
            ["Store:Prefix"] = prefix,
            ["Store:SweepAfterImport"] = sweep ? "true" : "false",
        });
        var office = app.Client(app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        return (app, office);
    }

    private static async Task ImportAsync(HttpClient office, int actual) =>
        await (await office.PutAsync($"/api/periods/{TestProvince.Period}/observations?file=observations-{actual}.csv", Observations(actual))).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Each_import_sweeps_so_a_generation_is_gone_an_hour_after_it_was_superseded()
    {
        var (app, office) = await StartAsync(azurite.ConnectionString, "s" + Guid.NewGuid().ToString("N")[..12], sweep: true);
        await using var _ = app;
        using var __ = office;
        var store = app.Services.GetRequiredService<IAssessStore>();

        await ImportAsync(office, 1);
        await ImportAsync(office, 2); // its sweep marks the first file's generation
        app.Clock.Now += SweepReport.DefaultGrace;
        await ImportAsync(office, 3); // its sweep deletes the first and marks the second

        var report = await store.SweepAsync(app.Clock.Now, SweepReport.DefaultGrace);
        Assert.Equal((0, 0, 1), (report.Deleted, report.Marked, report.Waiting));
        var first = Encoding.UTF8.GetString(TestProvince.ObservationsCsv()).Split('\n')[1].Split(',');
        var q3 = await store.GetObservationsAsync(TestProvince.Period);
        Assert.Equal(3m, q3.Single(o => o.Unit == first[0] && o.Indicator == first[1]).Actual);
        await ((Assess.Store.Azure.AzureAssessStore)store).DeleteAsync();
    }

    [Fact]
    public async Task Turned_off_nothing_is_swept_after_imports()
    {
        var (app, office) = await StartAsync(azurite.ConnectionString, "s" + Guid.NewGuid().ToString("N")[..12], sweep: false);
        await using var _ = app;
        using var __ = office;
        var store = app.Services.GetRequiredService<IAssessStore>();

        await ImportAsync(office, 1);
        await ImportAsync(office, 2);
        app.Clock.Now += SweepReport.DefaultGrace;
        await ImportAsync(office, 3);

        var report = await store.SweepAsync(app.Clock.Now, SweepReport.DefaultGrace);
        Assert.Equal((0, 2, 0), (report.Deleted, report.Marked, report.Waiting));
        await ((Assess.Store.Azure.AzureAssessStore)store).DeleteAsync();
    }
}
