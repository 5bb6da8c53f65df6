using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>Small helpers for calling the API in tests.</summary>
internal static class Api
{
    public static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls a run until it has ended (the in-process worker runs it in the background).</summary>
    public static async Task<JsonElement> WaitForRunAsync(HttpClient office, string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await (await office.GetAsync($"/api/evaluations/{runId}")).JsonAsync(HttpStatusCode.OK);
            if (run.GetProperty("status").GetString() is "succeeded" or "failed") return run;
            await Task.Delay(50);
        }
        throw new TimeoutException($"run {runId} did not end");
    }
}
