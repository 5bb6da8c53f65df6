using System.Globalization;
using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>How both stores write values as text: exact decimals, round-trip times, file spellings.</summary>
internal static class StoreText
{
    public static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? OptTime(string? text) => text is null ? null : Time(text);

    public static string Dec(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Dec(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    public static decimal? OptDec(string? text) => text is null ? null : Dec(text);

    public static string Level(UnitLevel level) => level.ToText();

    public static UnitLevel Level(string text) => UnitLevels.TryParse(text, out var l) ? l : throw new FormatException($"bad level '{text}'");

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static RunStatus Status(string text) => text switch
    {
        "queued" => RunStatus.Queued,
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        _ => throw new FormatException($"bad status '{text}'"),
    };

    public static string Kind(ImportKind kind) => kind == ImportKind.Units ? "units" : "observations";

    public static ImportKind ImportKindOf(string text) => text == "units" ? ImportKind.Units : ImportKind.Observations;

    public static string Kind(DocumentKind kind) => kind == DocumentKind.Scorecard ? "scorecard" : "bulletin";

    public static DocumentKind DocumentKindOf(string text) => text == "scorecard" ? DocumentKind.Scorecard : DocumentKind.Bulletin;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string RunId(long sequence) => $"run-{sequence:D6}";

    public static string BatchId(long sequence) => $"imp-{sequence:D6}";

    public static string Describe(ImportSource source, string sha256, int rows) => $"{source.FileName} sha256={sha256} rows={rows}";
}
