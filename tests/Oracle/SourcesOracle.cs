using System.Numerics;
using System.Text.Json;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>
/// An independent reading of the annual contract's §2 (sources), written from the contract alone and sharing no code with
/// the engine (no <c>Publication</c>, <c>SourceData</c>, <c>Period</c> or <c>ResultsJson</c>): it reads the publications'
/// JSON bytes itself (period text, kind, units, figures as the number text written) and does its arithmetic in exact
/// rationals (<see cref="BigInteger"/> numerator over denominator), so a mean like 246.5 / 3 is the fraction 493/6.
/// </summary>
public static class SourcesOracle
{
    /// <summary>A source as the contract states it: <paramref name="Figure"/> for quarters, <paramref name="Light"/> for months.</summary>
    public sealed record Source(string Id, string From, string? Figure = null, string? Of = null, string? Light = null);

    /// <summary>An exact rational, always reduced, denominator &gt; 0.</summary>
    public readonly record struct Fraction(BigInteger Num, BigInteger Den)
    {
        public static Fraction Of(BigInteger num, BigInteger den)
        {
            if (den.Sign < 0) (num, den) = (-num, -den);
            var g = BigInteger.GreatestCommonDivisor(num, den);
            return g.IsZero ? new(0, 1) : new(num / g, den / g);
        }

        public static Fraction Whole(long n) => new(n, 1);

        public static Fraction operator +(Fraction a, Fraction b) => Of(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);

        public Fraction DividedBy(long n) => Of(Num, Den * n);

        /// <summary>Parses a JSON number's text (digits, optional sign, fraction and exponent) exactly.</summary>
        public static Fraction Parse(string text)
        {
            var exponent = 0;
            var e = text.IndexOfAny(['e', 'E']);
            if (e >= 0)
            {
                exponent = int.Parse(text[(e + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                text = text[..e];
            }
            var negative = text.StartsWith('-');
            if (negative) text = text[1..];
            var dot = text.IndexOf('.');
            var digits = dot < 0 ? text : text[..dot] + text[(dot + 1)..];
            var scale = (dot < 0 ? 0 : text.Length - dot - 1) - exponent;
            var num = BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) * (negative ? -1 : 1);
            return scale >= 0 ? Of(num, BigInteger.Pow(10, scale)) : Of(num * BigInteger.Pow(10, -scale), 1);
        }

        /// <summary>The exact value of a decimal.</summary>
        public static Fraction From(decimal d) => Parse(d.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public override string ToString() => Den.IsOne ? Num.ToString() : $"{Num}/{Den}";
    }

    /// <summary>
    /// The derived rows and inputs for year <paramref name="year"/> of the units <paramref name="units"/> (the level's codes):
    /// by (unit, id), where id is a source's id (the derived row's actual) or a generated input id. Absent keys are "no row".
    /// Publications of another level are ignored here (the engine refuses them; the tests give none).
    /// </summary>
    public static Dictionary<(string Unit, string Id), Fraction> Rows(IEnumerable<byte[]> files, int year, IReadOnlyList<string> units, IEnumerable<Source> sources)
    {
        // Period text → the unit's figures there.
        var quarters = new Dictionary<int, Dictionary<string, JsonElement>>();
        var months = new List<Dictionary<string, List<string>>>();
        var docs = new List<JsonDocument>();
        foreach (var bytes in files)
        {
            var doc = JsonDocument.Parse(bytes);
            docs.Add(doc);
            var root = doc.RootElement;
            var period = root.GetProperty("period").GetString()!;
            if (!period.StartsWith(year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)) continue;
            var isMonitor = root.TryGetProperty("kind", out var k) && k.GetString() == "monitor";
            if (isMonitor && period.Length == 7 && period[4] == '-')
            {
                var lights = new Dictionary<string, List<string>>();
                foreach (var u in root.GetProperty("units").EnumerateArray())
                {
                    var list = new List<string>();
                    foreach (var i in u.GetProperty("indicators").EnumerateArray())
                        if (i.TryGetProperty("light", out var l) && l.ValueKind == JsonValueKind.String) list.Add(l.GetString()!);
                    lights[u.GetProperty("code").GetString()!] = list;
                }
                months.Add(lights);
            }
            else if (!isMonitor && period.Length == 6 && period[4] == 'Q')
                quarters[period[5] - '0'] = root.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);
        }

        var rows = new Dictionary<(string, string), Fraction>();
        foreach (var s in sources)
        {
            foreach (var unit in units)
            {
                if (s.From == "months")
                {
                    if (months.Count > 0)
                    {
                        var reds = 0;
                        foreach (var m in months)
                            if (m.TryGetValue(unit, out var ls)) reds += ls.Count(l => l == s.Light);
                        rows[(unit, s.Id)] = Fraction.Whole(reds);
                    }
                    rows[(unit, s.Id + "_months")] = Fraction.Whole(months.Count);
                    continue;
                }
                var found = new List<Fraction>();
                for (var q = 1; q <= 4; q++)
                {
                    if (!quarters.TryGetValue(q, out var list) || !list.TryGetValue(unit, out var u)) continue;
                    if (FigureOf(u, s) is not { } text) continue;
                    var v = Fraction.Parse(text);
                    rows[(unit, $"{s.Id}_q{q}")] = v;
                    found.Add(v);
                }
                rows[(unit, s.Id + "_count")] = Fraction.Whole(found.Count);
                if (found.Count == 0) continue;
                var sum = Fraction.Whole(0);
                foreach (var f in found) sum += f;
                rows[(unit, s.Id)] = sum.DividedBy(found.Count);
                rows[(unit, s.Id + "_first")] = found[0];
                rows[(unit, s.Id + "_last")] = found[^1];
            }
        }
        foreach (var d in docs) d.Dispose();
        return rows;
    }

    /// <summary>The figure's number text in one unit's object, or null where there is none (absent, null, no such dimension).</summary>
    private static string? FigureOf(JsonElement unit, Source s)
    {
        JsonElement v;
        switch (s.Figure)
        {
            case "dimension":
            case "indicator":
                if (!unit.TryGetProperty(s.Figure == "dimension" ? "dimensions" : "indicators", out var list)) return null;
                var item = list.EnumerateArray().FirstOrDefault(x => x.GetProperty("id").GetString() == s.Of);
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("score", out v)) return null;
                break;
            default:
                if (!unit.TryGetProperty(s.Figure!, out v)) return null;
                break;
        }
        return v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
    }
}
