using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Api;

/// <summary><c>PUT /api/units?year=2025</c>: the units and classes of a year (CSV or XLSX). Office only.</summary>
public sealed class UnitFunctions(AssessmentService service)
{
    /// <summary>Imports a year's units; the body is units.csv (text/csv) or XLSX, <c>?file=</c> names it.</summary>
    [Function("UnitsImport")]
    [Access(Policies.Office)]
    public async Task<IResult> Import([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/units")] HttpRequest request, CancellationToken ct)
    {
        var year = request.Query["year"].ToString();
        if (!int.TryParse(ApiInput.Required(year, "year"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
            || y is < 1900 or > 9999)
            throw ApiException.BadRequest($"year 应为四位年份，这里是 '{year}'");
        var content = await BodyReader.ReadAsync(request, BodyReader.ImportLimit, ct);
        return await ImportRefusals.ImportAsync(request, async () =>
        {
            var outcome = await service.ImportUnitsAsync(y, content, ApiInput.FileName(request, content, "units"), request.HttpContext.User.Actor(),
                ApiInput.Flag(request, "replaceAll"), ct);
            await StoreSetup.SweepAfterImportAsync(service, outcome, request.HttpContext.RequestServices, ct);
            return Results.Ok(ImportDto.Of(outcome));
        });
    }
}
