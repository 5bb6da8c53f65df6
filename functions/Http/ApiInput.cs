using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>Parses route and query values, answering 400 with what was expected.</summary>
internal static class ApiInput
{
    public static Period Period(string? text) =>
        Rules.Data.Period.TryParse(text, out var p) ? p : throw ApiException.BadRequest($"期间应为 YYYY-MM、YYYYQn 或 YYYY（如 2025-06、2025Q3），这里是 '{text}'");

    public static UnitLevel Level(string? text, string name = "level") =>
        UnitLevels.TryParse(text, out var level) ? level : throw ApiException.BadRequest($"{name} 应为 city、county、town 或 village，这里是 '{text}'");

    public static string Required(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? throw ApiException.BadRequest($"缺少参数 {name}") : text;

    /// <summary>A yes/no query flag (<c>?replace=true</c>): absent or <c>false</c> is no, <c>true</c> is yes, anything else 400.</summary>
    public static bool Flag(HttpRequest request, string name) => request.Query[name].ToString() switch
    {
        "" or "false" => false,
        "true" => true,
        var other => throw ApiException.BadRequest($"{name} 应为 true 或 false，这里是 '{other}'"),
    };

    /// <summary>The uploaded file's name: <c>?file=</c>, else a default with the extension the content calls for.</summary>
    public static string FileName(HttpRequest request, byte[] content, string stem)
    {
        var given = request.Query["file"].ToString();
        if (!string.IsNullOrWhiteSpace(given)) return Path.GetFileName(given);
        var xlsx = content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] == 0x03 && content[3] == 0x04
            || (request.ContentType?.Contains("spreadsheetml", StringComparison.OrdinalIgnoreCase) ?? false);
        return stem + (xlsx ? ".xlsx" : ".csv");
    }
}
