using System.Globalization;
using System.Text;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>Hand-written publications for the annual tests: the few fields of a quarter's results JSON and a month's monitor JSON that sources read.</summary>
internal static class AnnualData
{
    /// <summary>A unit of a quarter: total, rank (null: excluded), dimensions and indicators as (id, score).</summary>
    public sealed record Q(string Code, decimal Total, int? Rank, decimal Bonus = 0, decimal Penalty = 0, int? LevelRank = null,
        (string Id, decimal Score)[]? Dimensions = null, (string Id, decimal Score)[]? Indicators = null);

    public static byte[] Quarter(string period, params Q[] units) => Quarter(period, "county", units);

    public static byte[] Quarter(string period, string level, params Q[] units)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{{\n  \"period\": \"{period}\",\n  \"ruleset\": {{ \"id\": \"q\", \"version\": null, \"level\": \"{level}\" }},\n  \"data\": {{ \"sha256\": \"x\" }},\n  \"units\": [");
        s.Append(string.Join(",", units.Select(u =>
            $"\n    {{ \"code\": \"{u.Code}\", \"total\": {N(u.Total)}, \"rank\": {(u.Rank is { } r ? r.ToString(CultureInfo.InvariantCulture) : "null")}, " +
            (u.LevelRank is { } lr ? $"\"levelRank\": {lr}, " : "") +
            $"\"dimensions\": [{string.Join(", ", (u.Dimensions ?? []).Select(d => $"{{ \"id\": \"{d.Id}\", \"score\": {N(d.Score)} }}"))}], " +
            $"\"indicators\": [{string.Join(", ", (u.Indicators ?? []).Select(d => $"{{ \"id\": \"{d.Id}\", \"score\": {N(d.Score)} }}"))}], " +
            $"\"bonus\": {N(u.Bonus)}, \"penalty\": {N(u.Penalty)} }}")));
        s.Append("\n  ],\n  \"skipped\": [],\n  \"unknownIndicators\": []\n}\n");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    /// <summary>A month: each unit's final lights, one per indicator (null: no light).</summary>
    public static byte[] Month(string period, params (string Code, string?[] Lights)[] units) => Month(period, "county", units);

    public static byte[] Month(string period, string level, params (string Code, string?[] Lights)[] units)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{{\n  \"kind\": \"monitor\",\n  \"period\": \"{period}\",\n  \"month\": {int.Parse(period[5..], CultureInfo.InvariantCulture)},\n");
        s.Append(CultureInfo.InvariantCulture, $"  \"monitor\": {{ \"id\": \"m\", \"level\": \"{level}\" }},\n  \"lights\": [{{ \"id\": \"red\", \"name\": \"红灯\" }}, {{ \"id\": \"yellow\", \"name\": \"黄灯\" }}, {{ \"id\": \"green\", \"name\": \"绿灯\" }}],\n  \"units\": [");
        s.Append(string.Join(",", units.Select(u =>
            $"\n    {{ \"code\": \"{u.Code}\", \"indicators\": [{string.Join(", ", u.Lights.Select((l, i) => $"{{ \"id\": \"i{i}\", \"light\": {(l is null ? "null" : $"\"{l}\"")} }}"))}] }}")));
        s.Append("\n  ]\n}\n");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    private static string N(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
