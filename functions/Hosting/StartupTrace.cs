using System.Diagnostics;
using System.Globalization;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// With <c>ASSESS_STARTUP_TRACE=1</c>, one line on stdout per start-up phase (<c>startup: PHASE MS</c>, milliseconds since
/// the process started), for <c>bench -- startup</c> and anyone asking where a start's time goes. Off, it costs a field read.
/// </summary>
public static class StartupTrace
{
    /// <summary>Whether tracing is on.</summary>
    public static bool On { get; } = Environment.GetEnvironmentVariable("ASSESS_STARTUP_TRACE") is "1" or "true";
    private static int _firstRequest;

    /// <summary>Prints the phase with the time since the process started.</summary>
    public static void Mark(string phase)
    {
        if (!On) return;
        var since = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.WriteLine($"startup: {phase} {since.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)}");
    }

    /// <summary>Marks the end of the first request the app answered (once).</summary>
    public static void FirstRequestDone(string path)
    {
        if (On && Interlocked.Exchange(ref _firstRequest, 1) == 0) Mark("first-response " + path);
    }
}
