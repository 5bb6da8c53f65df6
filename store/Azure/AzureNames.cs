using System.Text;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// Keys and blob names. Table keys may not hold <c>/ \ # ?</c> or control characters, so any text that comes
/// from users (ruleset ids, idempotency keys, class names) is escaped to a safe, order-keeping spelling.
/// </summary>
internal static class AzureNames
{
    public const string Control = "ctl";
    public const string Counter = "counter";
    public const string ObservationHead = "obshead";

    public static string Audit(long sequence) => $"audit|{sequence:D12}";

    public static string Batch(long sequence) => $"batch|{sequence:D10}";

    public static string BatchBySha(ImportKind kind, int? year, string sha) => $"batchsha|{StoreTextKind(kind)}|{year?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}|{sha}";

    public static string UnitsHead(int year) => $"units|{year:D4}";

    public static string Ruleset(string id, int version) => $"rs|{Escape(id)}|{version:D8}";

    public static string RulesetPrefix(string id) => $"rs|{Escape(id)}|";

    public static string ActiveRuleset(string id) => $"rsactive|{Escape(id)}";

    /// <summary>Every active pointer (<see cref="ActiveRuleset"/>).</summary>
    public const string ActiveRulesetPrefix = "rsactive|";

    /// <summary>Every version row (<see cref="Ruleset"/>).</summary>
    public const string RulesetRowPrefix = "rs|";

    public static string Run(long sequence) => $"run|{sequence:D10}";

    /// <summary>The record of an applied schema migration.</summary>
    public static string Migration(int number) => $"schema|{number:D4}";

    public static string RunKey(string idempotencyKey) => $"runkey|{Internal.StoreText.Sha256(Encoding.UTF8.GetBytes(idempotencyKey))}";

    public static string Publication(string period, string level) => $"pub|{period}|{level}";

    public static string ObservationBlob(string period, string generation) => $"observations/{period}/{generation}.json";

    /// <summary>The registry entry of a generation, written before its data (see <c>AzureAssessStore.SweepAsync</c>).</summary>
    public static string Generation(string kind, string owner, string generation) => $"gen|{kind}|{Escape(owner)}|{generation}";

    public const string GenerationPrefix = "gen|";

    public const string ObservationsKind = "obs";

    public const string UnitsKind = "units";

    public const string ResultsKind = "res";

    /// <summary>A month run's results (a monitor's MonthResult JSON), one blob per generation.</summary>
    public const string MonthResultsKind = "month";

    public static string UnitResultPartition(string runId, string generation) => $"res|{runId}|{generation}";

    public static string ImportBlob(string sha) => $"imports/{sha}";

    public static string UnitsBlob(int year, string generation) => $"units/{year:D4}/{generation}.json";

    public static string RulesetBlob(string id, string sha) => $"rulesets/{Escape(id)}/{sha}.yaml";

    public static string ResultsBlob(string runId, string generation) => $"runs/{runId}/results-{generation}.json";

    public static string MonthResultsBlob(string runId, string generation) => $"runs/{runId}/month-{generation}.json";

    public static string DocumentPrefix(string runId) => $"runs/{runId}/docs/";

    /// <summary>
    /// The end of the name of a run's scorecard archive as an older program stored it (<c>runs/RUN/scorecards.zip</c>);
    /// migration 5 deletes them (archives are assembled on download now).
    /// </summary>
    public const string StoredArchiveSuffix = "/scorecards.zip";

    public static string DocumentBlob(string runId, DocumentKind kind, string key) => $"{DocumentPrefix(runId)}{Internal.StoreText.Kind(kind)}/{Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key))}";

    public static (DocumentKind Kind, string Key)? ParseDocumentBlob(string runId, string name)
    {
        var rest = name[DocumentPrefix(runId).Length..];
        var slash = rest.IndexOf('/');
        if (slash < 0) return null;
        return (Internal.StoreText.DocumentKindOf(rest[..slash]), Encoding.UTF8.GetString(Convert.FromHexString(rest[(slash + 1)..])));
    }

    /// <summary>Letters, digits, <c>_ - .</c> kept; anything else as <c>~XX</c> per UTF-8 byte.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') sb.Append(c);
            else sb.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string StoreTextKind(ImportKind kind) => Internal.StoreText.Kind(kind);
}
