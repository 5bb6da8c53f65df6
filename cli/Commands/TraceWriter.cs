using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Engine;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>evaluate --trace</c>: one JSON object per line for each rule firing and figure it produced, from NRules'
/// session events. Collected in memory and written only once the evaluation succeeded (nothing half-written).
/// </summary>
internal sealed class TraceWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    public int Lines { get; private set; }

    public void Add(RuleFiring firing)
    {
        using (var w = new Utf8JsonWriter(_buffer, Options))
        {
            w.WriteStartObject();
            w.WriteNumber("firing", firing.Firing);
            w.WriteString("rule", firing.Rule);
            w.WriteString("class", firing.Class);
            if (firing.Unit is null) w.WriteNull("unit");
            else w.WriteString("unit", firing.Unit);
            w.WriteStartArray("matched");
            foreach (var m in firing.Matched) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteString("produced", firing.Produced);
            w.WriteString("figure", firing.Figure);
            w.WriteEndObject();
        }
        _buffer.Write("\n"u8);
        Lines++;
    }

    public ReadOnlySpan<byte> Bytes => _buffer.WrittenSpan;
}
