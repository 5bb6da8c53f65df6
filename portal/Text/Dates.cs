using System.Globalization;

namespace BaiQianWan.Assess.Portal.Text;

/// <summary>How the ledger pages write China dates.</summary>
public static class Dates
{
    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public static string Of(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A date, or a dash.</summary>
    public static string Of(DateOnly? date) => date is { } d ? Of(d) : "—";
}
