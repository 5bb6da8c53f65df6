using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// The SHA-256 of the data an evaluation used, independent of file format and row order: the units of the
/// evaluated level and their observations of the evaluated period, in a canonical text form. The same
/// figures imported from CSV or XLSX, in any row order, hash the same.
/// </summary>
public static class DataHash
{
    /// <summary>
    /// Canonical form (UTF-8, <c>\n</c> line ends, tab-separated, numbers without trailing zeros, empty for none):
    /// <c>units LEVEL</c>, then one line per unit of that level sorted by code (code, name, parent, class);
    /// then <c>observations PERIOD</c>, then one line per observation of those units in the period, sorted by
    /// unit then indicator (unit, indicator, actual, target, baseline).
    /// </summary>
    public static string Compute(Dataset data, UnitLevel level, Period period)
    {
        ArgumentNullException.ThrowIfNull(data);
        var units = data.Units.Where(u => u.Level == level).ToArray();
        var codes = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var observations = data.Observations.Where(o => o.Period == period && codes.Contains(o.Unit)).ToArray();
        return Compute(units, observations, level, period);
    }

    /// <summary>The hash of units already selected by level and observations already selected by unit and period.</summary>
    internal static string Compute(Unit[] units, Observation[] observations, UnitLevel level, Period period)
    {
        Array.Sort(units, (a, b) => string.CompareOrdinal(a.Code, b.Code));
        // Sort observations by the units' sorted position first: integer compares, strings only within a unit.
        var position = new Dictionary<string, int>(units.Length, StringComparer.Ordinal);
        for (var i = 0; i < units.Length; i++) position[units[i].Code] = i;
        var keys = new int[observations.Length];
        for (var i = 0; i < observations.Length; i++) keys[i] = position.TryGetValue(observations[i].Unit, out var p) ? p : -1;
        var order = new int[observations.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            var byUnit = keys[a].CompareTo(keys[b]);
            if (byUnit != 0) return byUnit;
            var byCode = string.CompareOrdinal(observations[a].Unit, observations[b].Unit);
            return byCode != 0 ? byCode : string.CompareOrdinal(observations[a].Indicator, observations[b].Indicator);
        });
        var buffer = new ArrayBufferWriter<byte>(64 * (units.Length + observations.Length) + 64);
        Text(buffer, "units ");
        Text(buffer, level.ToText());
        Byte(buffer, '\n');
        foreach (var u in units)
        {
            Text(buffer, u.Code); Byte(buffer, '\t');
            Text(buffer, u.Name); Byte(buffer, '\t');
            Text(buffer, u.Parent); Byte(buffer, '\t');
            Text(buffer, u.Class); Byte(buffer, '\n');
        }
        Text(buffer, "observations ");
        Text(buffer, period.ToString());
        Byte(buffer, '\n');
        foreach (var k in order)
        {
            var o = observations[k];
            Text(buffer, o.Unit); Byte(buffer, '\t');
            Text(buffer, o.Indicator); Byte(buffer, '\t');
            Number(buffer, o.Actual); Byte(buffer, '\t');
            if (o.Target is { } t) Number(buffer, t);
            Byte(buffer, '\t');
            if (o.Baseline is { } b) Number(buffer, b);
            Byte(buffer, '\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void Text(ArrayBufferWriter<byte> buffer, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Byte(ArrayBufferWriter<byte> buffer, char c)
    {
        buffer.GetSpan(1)[0] = (byte)c;
        buffer.Advance(1);
    }

    private static void Number(ArrayBufferWriter<byte> buffer, decimal value)
    {
        var span = buffer.GetSpan(40);
        Numbers.Normalize(value).TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        buffer.Advance(written);
    }
}
