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
    /// <remarks>(Annual §2) With <paramref name="sources"/> (a ruleset with <c>sources</c>: the publications read, possibly
    /// none) the text goes on with <c>sources</c>, then one line per publication in the order given (period, run or empty,
    /// sha256). Without, the text and the hash are the v3 ones.</remarks>
    public static string Compute(Dataset data, UnitLevel level, Period period, System.Collections.Immutable.ImmutableArray<Annual.SourceRecord> sources = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var units = new List<Unit>();
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var u in data.Units)
        {
            if (u.Level != level) continue;
            position[u.Code] = units.Count;
            units.Add(u);
        }
        var observations = new List<Observation>();
        var observationUnit = new List<int>();
        foreach (var o in data.Observations)
        {
            if (o.Period != period || !position.TryGetValue(o.Unit, out var p)) continue;
            observations.Add(o);
            observationUnit.Add(p);
        }
        return Compute(units, observations, observationUnit, level, period, sources);
    }

    /// <summary>
    /// The hash of a level's units and their observations of the period, each observation given with its
    /// unit's position in <paramref name="units"/>. Observations are grouped by unit in linear time (a counting
    /// sort), so only a unit's own few rows are ever compared by indicator id.
    /// </summary>
    internal static string Compute(List<Unit> units, List<Observation> observations, List<int> observationUnit, UnitLevel level, Period period,
        System.Collections.Immutable.ImmutableArray<Annual.SourceRecord> sources = default)
    {
        var byCode = new int[units.Count];
        for (var i = 0; i < byCode.Length; i++) byCode[i] = i;
        Array.Sort(byCode, (a, b) => string.CompareOrdinal(units[a].Code, units[b].Code));

        // start[u] .. start[u + 1]: the slots of unit u's observations in `grouped`.
        var start = new int[units.Count + 1];
        foreach (var u in observationUnit) start[u + 1]++;
        for (var u = 0; u < units.Count; u++) start[u + 1] += start[u];
        var next = start[..^1];
        var grouped = new Observation[observations.Count];
        for (var i = 0; i < observations.Count; i++) grouped[next[observationUnit[i]]++] = observations[i];

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new Writer(hash);
        writer.Text("units ");
        writer.Text(level.ToText());
        writer.Byte('\n');
        foreach (var i in byCode)
        {
            var u = units[i];
            writer.Text(u.Code); writer.Byte('\t');
            writer.Text(u.Name); writer.Byte('\t');
            writer.Text(u.Parent); writer.Byte('\t');
            writer.Text(u.Class); writer.Byte('\n');
        }
        writer.Text("observations ");
        writer.Text(period.ToString());
        writer.Byte('\n');
        // A unit's rows all start with its code (each row was grouped under the unit its code names): the code and
        // its tab are encoded once per unit and copied into each row.
        var prefix = new byte[64];
        foreach (var i in byCode)
        {
            var rows = grouped.AsSpan(start[i], start[i + 1] - start[i]);
            if (rows.IsEmpty) continue;
            SortByIndicator(rows);
            var code = rows[0].Unit;
            var prefixLength = Encoding.UTF8.GetMaxByteCount(code.Length) + 1;
            if (prefixLength > prefix.Length) prefix = new byte[prefixLength];
            prefixLength = Encoding.UTF8.GetBytes(code, prefix);
            prefix[prefixLength++] = (byte)'\t';
            var unitPrefix = prefix.AsSpan(0, prefixLength);
            foreach (var o in rows)
            {
                writer.Bytes(unitPrefix);
                writer.Text(o.Indicator); writer.Byte('\t');
                writer.Number(o.Actual); writer.Byte('\t');
                if (o.Target is { } t) writer.Number(t);
                writer.Byte('\t');
                if (o.Baseline is { } b) writer.Number(b);
                writer.Byte('\n');
            }
        }
        if (!sources.IsDefault)
        {
            writer.Text("sources\n");
            foreach (var s in sources)
            {
                writer.Text(s.Period.ToString()); writer.Byte('\t');
                writer.Text(s.Run); writer.Byte('\t');
                writer.Text(s.Sha256); writer.Byte('\n');
            }
        }
        return writer.Finish();
    }

    /// <summary>
    /// Writes <see cref="Numbers.Plain"/>'s text as UTF-8: digits of the mantissa with the point placed by the
    /// scale, trailing zeros dropped. Mantissas over 64 bits take the general route.
    /// </summary>
    internal static int WritePlain(decimal value, Span<byte> into)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            Numbers.Normalize(value).TryFormat(into, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            return written;
        }
        var mantissa = (ulong)(uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        // The digits, last first, into the end of a scratch: at most 29 digits (scale 28), the point and a leading zero.
        Span<byte> text = stackalloc byte[32];
        var at = text.Length;
        var digits = 0;
        do
        {
            text[--at] = (byte)('0' + (int)(mantissa % 10));
            mantissa /= 10;
            digits++;
            if (digits == scale) text[--at] = (byte)'.';
        }
        while (mantissa != 0);
        // With scale s there are at least s + 1 digits: zeros after the point, then the 0 before it.
        for (; digits < scale; digits++) text[--at] = (byte)'0';
        if (scale > 0 && digits == scale)
        {
            if (text[at] != (byte)'.') text[--at] = (byte)'.';
            text[--at] = (byte)'0';
        }
        var length = 0;
        // Negative zero (−0.00) normalizes to 0, as decimal's own formatting writes it.
        if (bits[3] < 0 && (bits[0] | bits[1]) != 0) into[length++] = (byte)'-';
        text[at..].CopyTo(into[length..]);
        return length + text.Length - at;
    }

    /// <summary>Insertion sort: a unit has a few dozen rows at most, usually already in order.</summary>
    private static void SortByIndicator(Span<Observation> rows)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            var row = rows[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(rows[j].Indicator, row.Indicator) > 0)
            {
                rows[j + 1] = rows[j];
                j--;
            }
            rows[j + 1] = row;
        }
    }

    /// <summary>Writes UTF-8 into a small buffer that is hashed whenever it fills: no copy of the whole text.</summary>
    private sealed class Writer(IncrementalHash hash)
    {
        private readonly byte[] _buffer = new byte[16384];
        private int _used;

        public void Text(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (max > _buffer.Length)
            {
                Flush();
                hash.AppendData(Encoding.UTF8.GetBytes(text));
                return;
            }
            Reserve(max);
            _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length)
            {
                Flush();
                hash.AppendData(bytes);
                return;
            }
            Reserve(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Byte(char c)
        {
            Reserve(1);
            _buffer[_used++] = (byte)c;
        }

        public void Number(decimal value)
        {
            Reserve(48);
            _used += WritePlain(value, _buffer.AsSpan(_used));
        }


        public string Finish()
        {
            Flush();
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        private void Reserve(int bytes)
        {
            if (_used + bytes > _buffer.Length) Flush();
        }

        private void Flush()
        {
            hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
