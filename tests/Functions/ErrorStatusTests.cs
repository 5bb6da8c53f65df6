using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Portal;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// One error-to-status mapping for both hosts (issue 20 item 2): the same store refusal is the same status as the API's
/// problem details and as the portal's error page (an invalid input was a 422 in the API and a 409 in the portal).
/// </summary>
public sealed class ErrorStatusTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-status-").FullName;
    private readonly AssessAppFactory _app;

    public ErrorStatusTests() => _app = new AssessAppFactory("sqlite", Path.Combine(_directory, "a.db"));

    [Theory]
    [InlineData(StoreError.NotFound, 404)]
    [InlineData(StoreError.Conflict, 409)]
    [InlineData(StoreError.Invalid, 422)]
    [InlineData(StoreError.Concurrency, 409)]
    public async Task A_store_refusal_has_the_same_status_in_the_api_and_the_portal(StoreError error, int status)
    {
        var refusal = new StoreException(error, "拒绝");
        Assert.Equal(status, Problems.From(refusal)!.Status);

        var portal = _app.Services.GetRequiredService<PortalHttp>();
        var http = new DefaultHttpContext { RequestServices = _app.Services };
        http.Response.Body = new MemoryStream();
        var office = new PortalUser("office", "考核办", AccountRole.Office, null);
        var page = await portal.GuardAsync(http, office, () => throw refusal);
        await page.ExecuteAsync(http);
        Assert.Equal(status, http.Response.StatusCode);
    }

    [Fact]
    public async Task A_taken_account_name_on_the_accounts_page_is_the_stores_conflict_409_not_a_422()
    {
        using var office = _app.Client(_app.Token("office"));
        var page = await office.GetStringAsync("/office/accounts");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__af\" value=\"([^\"]+)\"").Groups[1].Value;
        HttpResponseMessage Create() => office.PostAsync("/office/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Antiforgery.FieldName] = token, ["name"] = "liaison", ["displayName"] = "联络员", ["role"] = "author",
        })).GetAwaiter().GetResult();
        using var first = Create();
        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        using var again = Create();
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("登录名 liaison 已被使用", System.Net.WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()));
    }

    public void Dispose()
    {
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
