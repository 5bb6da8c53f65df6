using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Tests.Functions;
using static BaiQianWan.Assess.Tests.Hostile.FormulaLimitTests;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 19 item 1 reproduced where it killed the process: <c>cli validate</c> of the 100,000-argument ruleset
/// (exit 134, "Stack overflow" in the rule compiler's expression visitor, before the fix), and the API's validate and
/// upload and the portal's 保存为新版本 on a standalone server. Both run as child processes, so a crash fails the test
/// instead of taking the test host with it.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class FormulaCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-formula-crash-").FullName;
    private StandaloneApp? _app;

    public void Dispose()
    {
        _app?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Cli_validate_of_the_100000_argument_ruleset_exits_1_with_the_position_in_its_own_process()
    {
        var path = Path.Combine(_dir, "crash.yaml");
        File.WriteAllText(path, Ruleset(Crash), new UTF8Encoding(false));
        var (exit, stdout, stderr) = RunCli("validate", path);
        Assert.True(exit == ValidateCommand.Invalid, $"exit {exit} (134 is the stack overflow): {stderr}");
        Assert.Equal($"{path}:13:19: RS2030: {TooLong}", stdout.TrimEnd('\n'));
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task The_api_and_the_portal_answer_the_100000_argument_ruleset_with_422_and_the_position_and_keep_serving()
    {
        _app = new StandaloneApp(Path.Combine(_dir, "assess.db"));
        var baseUrl = await _app.StartAsync(timeoutSeconds: 90);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var yaml = Ruleset(Crash);
        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/rulesets/validate"), (HttpMethod.Put, "/api/rulesets/c") })
        {
            using var request = new HttpRequestMessage(method, url) { Content = new StringContent(yaml, Encoding.UTF8, "application/yaml") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("office"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                Assert.Fail($"{method} {url}: no answer ({e.Message}); the server {(_app.HasExited ? $"exited with {_app.ExitCode}" : "is running")}");
                return;
            }
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{method} {url}: {(int)response.StatusCode} {text}");
            var error = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray());
            Assert.Equal((13, 19, TooLong), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("message").GetString()));
        }

        // The portal's 保存为新版本 (and its as-you-type check): the editor again, 422, the error at line 13 column 19.
        using var editor = new HttpRequestMessage(HttpMethod.Get, "/rulesets/new");
        editor.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("author"));
        var page = await (await http.SendAsync(editor)).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(page, """name="__af" value="([^"]+)" """).Groups[1].Value;
        Assert.NotEqual("", token);
        foreach (var url in new[] { "/rulesets/save", "/rulesets/validate" })
        {
            using var save = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = token, ["yaml"] = yaml }),
            };
            save.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("author"));
            var response = await http.SendAsync(save);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            if (url == "/rulesets/save")
            {
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{url}: {(int)response.StatusCode}");
                Assert.Contains("第19列：" + TooLong, html);
                Assert.Contains("有错误，未保存", html);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var error = Assert.Single(JsonDocument.Parse(html).RootElement.GetProperty("errors").EnumerateArray());
                // The editor's errors name the column as text (a data file's errors name a column by its header).
                Assert.Equal((13, "19", TooLong), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString(), error.GetProperty("message").GetString()));
            }
        }

        Assert.False(_app.HasExited);
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/rulesets");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("office"));
        var listed = await http.SendAsync(list);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("[]", await listed.Content.ReadAsStringAsync());
    }

    private string Token(string role) => _app!.Token(role);

    /// <summary>The built CLI (<c>baiqianwan</c> beside the tests) as its own process, to its exit.</summary>
    private (int Exit, string Stdout, string Stderr) RunCli(params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "baiqianwan.exe" : "baiqianwan");
        var info = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the CLI did not exit within 2 minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result.Replace("\r\n", "\n", StringComparison.Ordinal), stderr.Result);
    }
}
