using System.IO.Compression;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>
/// Issue 14 item 1: 10,500 mutated rulesets, CSV files and XLSX files (a seeded generator, the same inputs on every
/// run) thrown at the parsers. Only positioned errors may come out — never an exception — and no input may allocate
/// more than a bound. (Time is bounded by the limits the parsers enforce; the project measures speed in bench/, not
/// with timing assertions.)
/// </summary>
[Trait("Cost", "Slow")]
public sealed class FuzzTests
{
    private const int Seed = 20261204;
    private const long AllocationBound = 64L << 20;

    private static readonly string[] YamlTokens =
        ["[", "]", "{", "}", "\"", "'", "\n", "\n  ", ": ", "- ", ",", "&a ", "*a", "!!str ", "%YAML 1.2\n", "---\n", "...\n", "\0", "\uFFFF",
         "|\n", ">-\n", "? ", "#", "\t", "weight: ", "formula: ", "=IF(", ")^2^3", "\u202E", "1e999", "-.inf", "~", "<<: *a"];

    private static readonly string[] CsvTokens = [",", "\"", "\"\"", "\n", "\r", "\r\n", "\0", "1e-28", "-", ".", "0.0000001", "2025Q3", "2025Q5", "\u0085", "#", " ", "甲"];

    private static readonly string[] XmlTokens =
        ["<", ">", "</c>", "<row>", "<row r=\"0\">", "<c r=\"ZZZZZZ1\">", "<c t=\"s\"><v>999999</v></c>", "<v>1E+308</v>", "<!DOCTYPE x>", "&amp;", "&x;", "<![CDATA[", "]]>",
         "\"", "<is><t>", "</t></is>", "<?xml version=\"1.0\"?>", "\0", "<row r=\"2147483648\">"];

    [Fact]
    public void Mutated_rulesets_give_only_positioned_diagnostics()
    {
        var random = new Random(Seed);
        string[] seeds = [SampleRulesets.County, SampleRulesets.Town, Mini.RulesetYaml, "a: &a [*a]\n", "x: [[[[{a: [b, {c: d}]}]]]]\n"];
        for (var i = 0; i < 4_000; i++)
        {
            var yaml = Mutate(random, seeds[random.Next(seeds.Length)], YamlTokens);
            var result = Check(i, yaml, () => RulesetLoader.Load(yaml));
            var lines = yaml.Count(c => c == '\n') + 2;
            foreach (var d in result.Diagnostics)
            {
                Assert.True(d.Position.Line >= 1 && d.Position.Line <= lines && d.Position.Column >= 1, $"input {i}: {d} outside the text");
                Assert.False(string.IsNullOrWhiteSpace(d.Message), $"input {i}: empty message");
                Assert.False(StraySpace(d.Message), $"input {i}: stray space in '{d.Message}'");
            }
            Assert.True(result.IsValid || !result.Diagnostics.IsEmpty, $"input {i}: neither valid nor diagnosed");
        }
    }

    [Fact]
    public void Mutated_csv_files_give_only_positioned_errors()
    {
        var random = new Random(Seed + 1);
        string[] units = [Mini.UnitsCsv.Replace("\r\n", "\n"), "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙镇,town,A,中心镇\n"];
        string[] observations = [Mini.ObservationsCsv.Replace("\r\n", "\n"), "#说明,unit,indicator,period,actual,target,baseline\nx,A1,fai,2025Q3,\"1.5\",2,1\n"];
        var codes = new Dictionary<int, IReadOnlySet<string>> { [2025] = new HashSet<string> { "A1", "A2", "B1", "B2", "T1" } };
        for (var i = 0; i < 3_000; i++)
        {
            var isUnits = i % 2 == 0;
            var bytes = MutateBytes(random, Encoding.UTF8.GetBytes(Mutate(random, (isUnits ? units : observations)[random.Next(2)], CsvTokens)));
            var name = $"fuzz{i}.csv";
            IEnumerable<DataError> errors = isUnits
                ? Check(i, bytes, () => DataImport.ReadUnits(bytes, name)).Errors
                : Check(i, bytes, () => DataImport.ReadObservations(DataImport.ReadTable(bytes, name, DataFiles.ObservationColumns), codes)).Errors;
            AssertPositioned(i, name, errors);
        }
    }

    [Fact]
    public void Mutated_xlsx_files_give_only_positioned_errors()
    {
        var random = new Random(Seed + 2);
        var sheet = RawXlsx.SheetHead + RawXlsx.Row(1, DataFiles.ObservationColumns.ToArray())
            + RawXlsx.Row(2, "A1", "fai", "2025Q3", "60", "50", "") + "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>A2</t></is></c><c r=\"B3\" t=\"s\"><v>0</v></c>"
            + "<c r=\"C3\" t=\"inlineStr\"><is><t>2025Q3</t></is></c><c r=\"D3\"><v>1.1000000000000001</v></c><c r=\"E3\" t=\"b\"><v>1</v></c></row>" + RawXlsx.SheetTail;
        var written = Xlsx.Write(["unit", "indicator", "period", "actual", "target", "baseline"], ["A1", "fai", "2025Q3", "=N:60", "=N:50", null]);
        var codes = new Dictionary<int, IReadOnlySet<string>> { [2025] = new HashSet<string> { "A1", "A2" } };
        for (var i = 0; i < 3_500; i++)
        {
            // Half mutate the sheet's XML inside a sound package; half mutate the package's bytes.
            var bytes = i % 2 == 0
                ? RawXlsx.Package(Mutate(random, sheet, XmlTokens))
                : MutateBytes(random, i % 4 == 1 ? written : RawXlsx.Package(sheet));
            var name = $"fuzz{i}.xlsx";
            var read = Check(i, bytes, () => DataImport.ReadObservations(DataImport.ReadTable(bytes, name, DataFiles.ObservationColumns), codes));
            AssertPositioned(i, name, read.Errors);
        }
    }

    [Fact]
    public void The_unmutated_seeds_parse_cleanly_so_the_mutations_start_from_valid_input()
    {
        Assert.True(RulesetLoader.Load(SampleRulesets.County).IsValid);
        Assert.True(DataImport.ReadUnits(Mini.Bytes(Mini.UnitsCsv), "u.csv").IsValid);
        var table = DataImport.ReadTable(RawXlsx.Package(RawXlsx.SheetHead + RawXlsx.Row(1, DataFiles.ObservationColumns.ToArray())
            + RawXlsx.Row(2, "A1", "fai", "2025Q3", "60", "50", "") + RawXlsx.SheetTail), "ok.xlsx", DataFiles.ObservationColumns);
        var read = DataImport.ReadObservations(table, new Dictionary<int, IReadOnlySet<string>> { [2025] = new HashSet<string> { "A1" } });
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(60m, Assert.Single(read.Rows).Actual);
    }

    private static void AssertPositioned(int i, string name, IEnumerable<DataError> errors)
    {
        foreach (var e in errors)
        {
            Assert.True(e.File == name && e.Row >= 1 && e.Column.Length > 0 && e.Message.Trim().Length > 0, $"input {i}: unpositioned error {e}");
            Assert.False(StraySpace(e.Message), $"input {i}: stray space in '{e.Message}'");
        }
    }

    /// <summary>A space between two Chinese characters outside a quoted value (the message templates' rule, rendered).</summary>
    private static bool StraySpace(string message)
    {
        var quoted = false;
        for (var k = 1; k + 1 < message.Length; k++)
        {
            if (message[k - 1] == '\'') quoted = !quoted;
            if (!quoted && message[k] == ' ' && TextRules.IsWide(message[k - 1]) && TextRules.IsWide(message[k + 1])) return true;
        }
        return false;
    }

    /// <summary>Runs a parser on one input: any exception, or an allocation past the bound, fails with the input's number.</summary>
    private static T Check<T>(int i, object input, Func<T> parse)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        T result;
        try
        {
            result = parse();
        }
        catch (Exception e)
        {
            var shown = input is string s ? s[..Math.Min(200, s.Length)] : Convert.ToBase64String(((byte[])input)[..Math.Min(200, ((byte[])input).Length)]);
            Assert.Fail($"input {i} threw {e.GetType().Name}: {e.Message}\n{shown}");
            throw;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBound, $"input {i} allocated {allocated} bytes");
        return result;
    }

    private static string Mutate(Random random, string text, string[] tokens)
    {
        var sb = new StringBuilder(text);
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var at = sb.Length == 0 ? 0 : random.Next(sb.Length);
            switch (random.Next(6))
            {
                case 0:
                    sb.Insert(at, tokens[random.Next(tokens.Length)]);
                    break;
                case 1:
                    if (sb.Length > 0) sb.Remove(at, Math.Min(random.Next(1, 40), sb.Length - at));
                    break;
                case 2:
                    if (sb.Length > 0) sb[at] = (char)random.Next(0, 0x3000);
                    break;
                case 3:
                    // A token repeated: nesting, long cells, many columns.
                    var token = tokens[random.Next(tokens.Length)];
                    sb.Insert(at, string.Concat(Enumerable.Repeat(token, random.Next(10, 3000))));
                    break;
                case 4:
                    var length = Math.Min(random.Next(1, 200), sb.Length - at);
                    if (length > 0) sb.Insert(at, sb.ToString(at, length));
                    break;
                default:
                    sb.Length = at;
                    break;
            }
        }
        return sb.ToString();
    }

    private static byte[] MutateBytes(Random random, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var n = random.Next(0, 4); n > 0 && copy.Length > 0; n--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return random.Next(8) == 0 && copy.Length > 1 ? copy[..random.Next(1, copy.Length)] : copy;
    }
}
