using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Samples;

/// <summary>
/// Writes a dataset as the contract's import files, <c>units.csv</c> and <c>observations.csv</c>:
/// UTF-8 without a byte order mark, a header row, commas, <c>\n</c> line ends, RFC 4180 quotes only
/// around fields that need them, and decimals in invariant culture without trailing zeros.
/// </summary>
public static class ProvinceFiles
{
    /// <summary>File name of the units file.</summary>
    public const string UnitsFileName = "units.csv";

    /// <summary>File name of the observations file.</summary>
    public const string ObservationsFileName = "observations.csv";

    /// <summary>Header row of <c>units.csv</c>.</summary>
    public const string UnitsHeader = "code,name,level,parent,class";

    /// <summary>File name of the month data (月通报): an observations file of <c>YYYY-MM</c> rows with the <c>plan</c> column.</summary>
    public const string MonthsFileName = "months.csv";

    /// <summary>Header row of <c>months.csv</c>: the observations columns and <c>plan</c>.</summary>
    public const string MonthsHeader = "unit,indicator,period,actual,target,baseline,plan";

    /// <summary>Header row of <c>observations.csv</c>.</summary>
    public const string ObservationsHeader = "unit,indicator,period,actual,target,baseline";

    // '#' only: a custom format never switches to exponent notation, and drops trailing zeros
    // (12.50 → 12.5, 100.00 → 100) whatever the decimal's scale.
    private const string DecimalFormat = "0.############################";

    /// <summary>Writes the header and one row per unit, in the order given.</summary>
    public static void WriteUnits(TextWriter writer, IEnumerable<Unit> units)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(units);
        WriteLine(writer, UnitsHeader);
        foreach (var unit in units)
        {
            WriteField(writer, unit.Code);
            writer.Write(',');
            WriteField(writer, unit.Name);
            writer.Write(',');
            writer.Write(unit.Level.ToText());
            writer.Write(',');
            WriteField(writer, unit.Parent ?? "");
            writer.Write(',');
            WriteField(writer, unit.Class);
            writer.Write('\n');
        }
    }

    /// <summary>Writes the header and one row per observation, in the order given; a missing target or baseline is an empty field.</summary>
    public static void WriteObservations(TextWriter writer, IEnumerable<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(observations);
        WriteLine(writer, ObservationsHeader);
        foreach (var o in observations)
        {
            WriteField(writer, o.Unit);
            writer.Write(',');
            WriteField(writer, o.Indicator);
            writer.Write(',');
            writer.Write(o.Period.ToString());
            writer.Write(',');
            writer.Write(FormatDecimal(o.Actual));
            writer.Write(',');
            if (o.Target is { } target) writer.Write(FormatDecimal(target));
            writer.Write(',');
            if (o.Baseline is { } baseline) writer.Write(FormatDecimal(baseline));
            writer.Write('\n');
        }
    }

    /// <summary>Writes the month header and one row per observation, in the order given; a missing target, baseline or plan is an empty field.</summary>
    public static void WriteMonths(TextWriter writer, IEnumerable<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(observations);
        WriteLine(writer, MonthsHeader);
        foreach (var o in observations)
        {
            WriteField(writer, o.Unit);
            writer.Write(',');
            WriteField(writer, o.Indicator);
            writer.Write(',');
            writer.Write(o.Period.ToString());
            writer.Write(',');
            writer.Write(FormatDecimal(o.Actual));
            writer.Write(',');
            if (o.Target is { } target) writer.Write(FormatDecimal(target));
            writer.Write(',');
            if (o.Baseline is { } baseline) writer.Write(FormatDecimal(baseline));
            writer.Write(',');
            if (o.Plan is { } plan) writer.Write(FormatDecimal(plan));
            writer.Write('\n');
        }
    }

    /// <summary>Writes <c>months.csv</c> into <paramref name="directory"/>, creating it if needed and replacing the file if it exists.</summary>
    public static void WriteMonths(string directory, IEnumerable<Observation> months)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        using var writer = CreateFile(Path.Combine(directory, MonthsFileName));
        WriteMonths(writer, months);
    }

    /// <summary>
    /// Writes <c>units.csv</c> and <c>observations.csv</c> into <paramref name="directory"/>,
    /// creating it if needed and replacing the files if they exist.
    /// </summary>
    public static void WriteProvince(string directory, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(dataset);
        Directory.CreateDirectory(directory);
        using (var units = CreateFile(Path.Combine(directory, UnitsFileName)))
            WriteUnits(units, dataset.Units);
        using (var observations = CreateFile(Path.Combine(directory, ObservationsFileName)))
            WriteObservations(observations, dataset.Observations);
    }

    /// <summary>A decimal as the files spell it: invariant culture, no exponent, no trailing zeros, no negative zero.</summary>
    public static string FormatDecimal(decimal value) =>
        value == 0m ? "0" : value.ToString(DecimalFormat, CultureInfo.InvariantCulture);

    private static StreamWriter CreateFile(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);

    private static void WriteLine(TextWriter writer, string line)
    {
        writer.Write(line);
        writer.Write('\n');
    }

    // RFC 4180: quote a field only if it holds a comma, a quote or a line break; double inner quotes.
    private static void WriteField(TextWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
