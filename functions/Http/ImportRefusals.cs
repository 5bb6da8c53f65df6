using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// <c>?errors=csv</c> on an import: a refused file is answered with every one of its errors as CSV (文件,行,列,原因; the
/// refusal's status, 422 or 413) instead of the problem details, which list at most <see cref="ImportErrorReport.MaxShown"/>.
/// </summary>
internal static class ImportRefusals
{
    public static async Task<IResult> ImportAsync(HttpRequest request, Func<Task<IResult>> import)
    {
        var asked = request.Query["errors"].ToString();
        if (asked.Length > 0 && asked != "csv") throw ApiException.BadRequest($"errors 只能是 csv，这里是 '{asked}'");
        try
        {
            return await import();
        }
        catch (InputRejectedException e) when (asked == "csv")
        {
            var status = e is InputTooLargeException ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
            return new CsvRefusal(ImportErrorReport.Csv(e.Errors), status);
        }
    }

    private sealed class CsvRefusal(byte[] csv, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/csv; charset=utf-8";
            httpContext.Response.ContentLength = csv.Length;
            return httpContext.Response.Body.WriteAsync(csv).AsTask();
        }
    }
}
