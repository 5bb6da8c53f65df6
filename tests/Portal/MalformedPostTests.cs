using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 item 6: malformed portal posts (no body, another content type, a multipart body cut off or without its
/// boundary, a form field over 4 MiB) were 500s with stack traces in the log. Over real HTTP to the app started on
/// its own: each is a 400 (413 for too large) with the portal's Chinese error page, and the log has one warning line
/// for it and no stack trace. Both an anonymous form (sign-in) and a signed-in office's upload are tried.
/// </summary>
[Trait("Cost", "Slow")]
public sealed partial class MalformedPostTests(PortalServer server) : IClassFixture<PortalServer>
{
    private const string NoBody = "400 · 没有收到表单内容，请返回页面重新提交";
    private const string NotAForm = "400 · 提交的不是表单（应为 application/x-www-form-urlencoded 或 multipart/form-data），请返回页面重新提交";
    private const string Broken = "400 · 提交的表单不完整或格式错误，未作处理，请返回页面重新提交";
    private const string TooLarge = "413 · 提交的内容过大（单个字段最多 4 MiB，上传文件最多 20 MiB），未作处理";

    private static readonly string BigField = new('x', (4 << 20) + 1);

    public static TheoryData<string, string, HttpStatusCode, string> Posts => new()
    {
        { "none", "", HttpStatusCode.BadRequest, NoBody },
        { "json", "application/json", HttpStatusCode.BadRequest, NotAForm },
        { "text", "text/plain", HttpStatusCode.BadRequest, NotAForm },
        { "cut", "multipart/form-data; boundary=XyZ", HttpStatusCode.BadRequest, Broken },
        { "no-boundary", "multipart/form-data", HttpStatusCode.BadRequest, Broken },
        { "big-field", "application/x-www-form-urlencoded", HttpStatusCode.RequestEntityTooLarge, TooLarge },
    };

    private static HttpContent? Body(string kind, string contentType)
    {
        var text = kind switch
        {
            "none" => null,
            "json" => """{"name":"office2"}""",
            "text" => "name=office2",
            "cut" => "--XyZ\r\nContent-Disposition: form-data; name=\"__af\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"o.csv\"\r\n\r\nunit,ind",
            "no-boundary" => "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--\r\n",
            "big-field" => "name=" + BigField,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (text is null) return null;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task A_malformed_sign_in_post_is_refused_with_the_error_page_and_one_warning(string kind, string contentType, HttpStatusCode status, string shown)
    {
        using var client = Client(new CookieContainer());
        await PostAndCheckAsync(client, "/signin", kind, contentType, status, shown);
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task A_malformed_upload_of_a_signed_in_office_is_refused_with_the_error_page_and_one_warning(string kind, string contentType,
        HttpStatusCode status, string shown)
    {
        using var client = Client(new CookieContainer());
        var signin = await client.GetStringAsync("/signin");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "office2",
            ["password"] = PortalServer.Password,
            [Antiforgery.FieldName] = Token().Match(signin).Groups[1].Value,
        });
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/signin", form)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/office/uploads")).StatusCode);

        await PostAndCheckAsync(client, "/office/uploads/observations", kind, contentType, status, shown);
    }

    private async Task PostAndCheckAsync(HttpClient client, string path, string kind, string contentType, HttpStatusCode status, string shown)
    {
        var marker = $"{kind}-{Guid.NewGuid():N}";
        var response = await client.PostAsync($"{path}?try={marker}", Body(kind, contentType));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"<p class=\"card\" data-testid=\"error-status\">{shown}</p>", page);
        Assert.Contains("<title>出错了", page);

        // The warning for this request is in the log (the console logger writes in order, so anything logged for the
        // request before it is there too): one line, and no failure or stack trace anywhere.
        var log = await LogWithAsync(marker);
        var lines = log.Split('\n');
        Assert.Single(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"Portal form refused ({(int)status}) on POST {path}", StringComparison.Ordinal));
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", log, StringComparison.Ordinal);
    }

    private async Task<string> LogWithAsync(string marker)
    {
        // Waits for the server's output to arrive on the pipe; how long it takes is not asserted.
        for (var i = 0; i < 300; i++)
        {
            if (server.Log.Contains(marker, StringComparison.Ordinal)) return server.Log;
            await Task.Delay(100);
        }
        return server.Log;
    }

    private HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Url) };

    [GeneratedRegex("""name="__af" value="([^"]+)" """)]
    private static partial Regex Token();
}
