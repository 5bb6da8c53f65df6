using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>The derived observations written in the observations format, for every host (the CLI's file, the API's answer).</summary>
public static class LedgerObservationsCsv
{
    /// <summary><c>unit,indicator,period,actual,target</c>, a header, UTF-8 without a byte-order mark, LF.</summary>
    public static byte[] Write(IEnumerable<Observation> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder("unit,indicator,period,actual,target\n");
        foreach (var o in rows)
            text.Append(o.Unit).Append(',').Append(o.Indicator).Append(',').Append(o.Period).Append(',').Append(Numbers.Plain(o.Actual)).Append(',')
                .Append(o.Target is { } t ? Numbers.Plain(t) : "").Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
