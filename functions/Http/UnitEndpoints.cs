using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Store.Workflow;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary><c>PUT /api/units?year=2025</c>: the units and classes of a year (CSV or XLSX). Office only.</summary>
public static class UnitEndpoints
{
    /// <summary>Maps the route.</summary>
    public static void MapUnits(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/units", Import).RequireAuthorization(Policies.Office).WithTags("units").WithName("UnitsImport")
            .WithDescription("正文为 units.csv（text/csv）或 XLSX；?file= 给出文件名").Produces<ImportDto>();

    private static async Task<IResult> Import(string? year, HttpContext http, AssessmentService service, CancellationToken ct)
    {
        if (!int.TryParse(ApiInput.Required(year, "year"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
            || y is < 1900 or > 9999)
            throw ApiException.BadRequest($"year 应为四位年份，这里是 '{year}'");
        var content = await BodyReader.ReadAsync(http.Request, BodyReader.ImportLimit, ct);
        var outcome = await service.ImportUnitsAsync(y, content, ApiInput.FileName(http.Request, content, "units"), http.User.Actor(), ct);
        await StoreSetup.SweepAfterImportAsync(service.Store, outcome, http.RequestServices, ct);
        return Results.Ok(ImportDto.Of(outcome));
    }
}
