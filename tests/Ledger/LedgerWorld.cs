using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>A clock that stands still at a China time until a test moves it.</summary>
internal sealed class ChinaClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    /// <summary>Moves to 10:00 China time on <paramref name="date"/>.</summary>
    public void On(string date) => Now = new DateTimeOffset(DateTime.Parse(date, global::System.Globalization.CultureInfo.InvariantCulture).AddHours(10), TimeSpan.FromHours(8));

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>
/// A SQLite store in a temporary file with the 2025 units (counties A1, A2; town T1 under A1), its ledger store and a
/// <see cref="LedgerService"/> on a China clock, and the accounts the tests act as.
/// </summary>
internal sealed class LedgerWorld : IAsyncDisposable
{
    public static readonly LedgerActor Office1 = LedgerActor.Office("office1");
    public static readonly LedgerActor Office2 = LedgerActor.Office("office2");
    public static readonly LedgerActor UnitA1 = LedgerActor.OfUnit("a1", "A1");
    public static readonly LedgerActor UnitA2 = LedgerActor.OfUnit("a2", "A2");
    public static readonly LedgerActor UnitT1 = LedgerActor.OfUnit("t1", "T1");
    public static readonly LedgerActor Author = new("author", AccountRole.Author);

    public const string UnitsCsv = """
        code,name,level,parent,class
        A1,甲一县,county,,甲
        A2,甲二县,county,,甲
        T1,某镇,town,A1,中心镇

        """;

    private readonly TempSqlite _file = new();

    public SqliteAssessStore Store { get; private set; } = null!;

    public SqliteLedgerStore Ledger { get; private set; } = null!;

    public ChinaClock Clock { get; } = new(new DateTimeOffset(2025, 1, 2, 10, 0, 0, TimeSpan.FromHours(8)));

    public LedgerService Service { get; private set; } = null!;

    public static async Task<LedgerWorld> CreateAsync(LedgerSettings? settings = null, string unitsCsv = UnitsCsv)
    {
        var w = new LedgerWorld();
        w.Store = await w._file.OpenAsync();
        var units = DataFiles.ReadUnits(unitsCsv, "units.csv");
        Assert.True(units.IsValid);
        await w.Store.ImportUnitsAsync(2025, units.Rows, new ImportSource("units.csv", Encoding.UTF8.GetBytes(unitsCsv), "test", DateTimeOffset.UnixEpoch));
        w.Ledger = new SqliteLedgerStore(w._file.Path);
        await w.Ledger.InitializeAsync();
        w.Service = new LedgerService(w.Ledger, w.Store, w.Clock, settings);
        return w;
    }

    public Task<LedgerImportOutcome> ImportAsync(string csv, string name = "tasks.csv") =>
        Service.ImportAsync(2025, Encoding.UTF8.GetBytes(csv), name, Office1);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Ledger.DisposeAsync();
        await _file.DisposeAsync();
    }

    /// <summary>A small real PDF's bytes (a header is what recognition reads).</summary>
    public static byte[] Pdf(string text = "evidence") => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    public static EvidenceUpload PdfFile(string name = "证明.pdf", string text = "evidence") => new(name, Pdf(text));
}
