using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// The SHA-256 of the data an evaluation used, independent of file format and row order: every unit, and
/// every observation of the evaluated period, in a canonical text form. The same figures imported from CSV
/// or XLSX, in any row order, hash the same.
/// </summary>
public static class DataHash
{
    /// <summary>
    /// Canonical form (UTF-8, <c>\n</c> line ends, tab-separated, numbers without trailing zeros, empty for none):
    /// <c>units</c>, then one line per unit sorted by code (code, name, level, parent, class); then
    /// <c>observations PERIOD</c>, then one line per observation of the period sorted by unit then indicator
    /// (unit, indicator, actual, target, baseline).
    /// </summary>
    public static string Compute(Dataset data, Period period)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder(128);
        void Emit()
        {
            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
            line.Clear();
        }
        line.Append("units");
        Emit();
        foreach (var u in data.Units.OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            line.Append(u.Code).Append('\t').Append(u.Name).Append('\t').Append(u.Level.ToText()).Append('\t')
                .Append(u.Parent).Append('\t').Append(u.Class);
            Emit();
        }
        line.Append("observations ").Append(period.ToString());
        Emit();
        var observations = data.Observations.Where(o => o.Period == period)
            .OrderBy(o => o.Unit, StringComparer.Ordinal).ThenBy(o => o.Indicator, StringComparer.Ordinal);
        foreach (var o in observations)
        {
            line.Append(o.Unit).Append('\t').Append(o.Indicator).Append('\t').Append(Numbers.Plain(o.Actual)).Append('\t')
                .Append(o.Target is { } t ? Numbers.Plain(t) : "").Append('\t')
                .Append(o.Baseline is { } b ? Numbers.Plain(b) : "");
            Emit();
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
