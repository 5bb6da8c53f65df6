using System.Diagnostics.Tracing;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -- allocations</c>: which types an evaluation allocates, sampled from the runtime's allocation
/// ticks (one event per ~100 KB allocated), so allocation hot spots can be found without a profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytes = [];
    private readonly Lock _lock = new();

    /// <param name="output">Where the table goes.</param>
    /// <param name="what"><c>v2</c> (both v2 samples, the default) or <c>v3</c> (the v3 sample).</param>
    public static int Run(TextWriter output, string what = "v2")
    {
        var workload = new Workload(1);
        Action pass = what switch
        {
            "v2" => () => workload.EvaluateEngine(),
            "v3" => V3Pass(workload),
            _ => throw new ArgumentException($"allocations: unknown workload {what} (v2, v3)"),
        };
        pass();
        using var sampler = new AllocationSampler();
        for (var i = 0; i < 20; i++) pass();
        sampler.Dispose();
        foreach (var (type, bytes) in sampler.Top(25))
            output.WriteLine($"{bytes / 20 / 1024,8} KB/pass  {type}");
        return 0;
    }

    private static Action V3Pass(Workload workload)
    {
        var v3 = Workload.Compile(BaiQianWan.Assess.Samples.SampleRulesets.TownV3);
        return () => BaiQianWan.Assess.Rules.Evaluation.Evaluator.Evaluate(v3, workload.Data, Workload.Period);
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) ?? true || e.Payload is null) return;
        var type = e.Payload![e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        lock (_lock) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    private List<KeyValuePair<string, long>> Top(int n)
    {
        lock (_lock) return [.. _bytes.OrderByDescending(kv => kv.Value).Take(n)];
    }
}
