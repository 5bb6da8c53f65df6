using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>What both adapters of the review store share: the evidence files as JSON and times as messages show them.</summary>
internal static class ReviewJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Files(ImmutableArray<ReviewFile> files) => JsonSerializer.Serialize(files.IsDefault ? [] : files.ToArray(), Options);

    public static ImmutableArray<ReviewFile> Files(string json) => [.. JsonSerializer.Deserialize<ReviewFile[]>(json, Options) ?? []];

    /// <summary>An instant in China time, to the minute: <c>2026-03-16 00:00（北京时间）</c>.</summary>
    public static string ChinaTime(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "（北京时间）";
}
