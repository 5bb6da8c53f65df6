using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Reads: a year's tasks, stamp, history and replay, from the generation its pointer names.
public sealed partial class AzureLedgerStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerTask>> GetTasksAsync(int year, CancellationToken cancellationToken = default)
    {
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        var list = new List<LedgerTask>();
        await foreach (var e in Range(year, Generation(g) + TaskPrefix, cancellationToken, ["Data"])) list.Add(LedgerJson.Task(e.GetString("Data")));
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <inheritdoc />
    /// <remarks>The year's pointer entity's ETag: every change rewrites the pointer (its lock) and every import switches it.</remarks>
    public async Task<string> GetYearStampAsync(int year, CancellationToken cancellationToken = default) =>
        (await PointerAsync(year, cancellationToken)).ETag?.ToString() ?? "";

    /// <inheritdoc />
    public async Task<LedgerTask?> GetTaskAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!LedgerFile.IsId(id)) return null;
        var found = await FindAsync(year, (await PointerAsync(year, cancellationToken)).Generation, id, cancellationToken);
        return found is null ? null : LedgerJson.Task(found.GetString("Data"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerEvent>> GetHistoryAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var list = new List<LedgerEvent>();
        if (!LedgerFile.IsId(id)) return list;
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        await foreach (var e in Range(year, Generation(g) + EntryPrefix + id + "|", cancellationToken, ["Data"])) list.Add(LedgerJson.Event(e.GetString("Data")));
        list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>> GetHistoriesAsync(int year, CancellationToken cancellationToken = default)
    {
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, Generation(g) + EntryPrefix, cancellationToken, ["Data"]))
        {
            var entry = LedgerJson.Event(e.GetString("Data"));
            if (!by.TryGetValue(entry.TaskId, out var list)) by[entry.TaskId] = list = [];
            list.Add(entry);
        }
        var result = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        foreach (var (id, list) in by)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            result[id] = list;
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<LedgerReplay> GetReplayAsync(int year, CancellationToken cancellationToken = default)
    {
        var prefix = Generation((await PointerAsync(year, cancellationToken)).Generation);
        var tasks = new List<LedgerTask>();
        await foreach (var e in Range(year, prefix + TaskPrefix, cancellationToken, ["RowKey", "Unit", "LoadedDue", "LoadedState", "LoadedDone"]))
        {
            Enum.TryParse<TaskState>(e.GetString("LoadedState"), out var loaded);
            tasks.Add(new LedgerTask
            {
                Year = year, Id = e.RowKey[(prefix.Length + TaskPrefix.Length)..], Unit = e.GetString("Unit"),
                LoadedDue = Day(e.GetString("LoadedDue")), LoadedState = loaded, LoadedDone = Day(e.GetString("LoadedDone")),
            });
        }
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, prefix + EntryPrefix, cancellationToken, ["RowKey", "Change", "Sequence", "At", "On", "Actor", "Date"]))
        {
            if (!LedgerChanges.TryParse(e.GetString("Change"), out var change) || !change.IsStateChange()) continue;
            var id = e.RowKey[(prefix.Length + EntryPrefix.Length)..e.RowKey.LastIndexOf('|')];
            if (!by.TryGetValue(id, out var list)) by[id] = list = [];
            list.Add(new LedgerEvent(year, id, e.GetInt64("Sequence") ?? 0, change, e.GetDateTimeOffset("At") ?? DateTimeOffset.UnixEpoch,
                Day(e.GetString("On"))!.Value, e.GetString("Actor") ?? "", "", null, null, Day(e.GetString("Date")), []));
        }
        var changes = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        foreach (var (id, list) in by)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            changes[id] = list;
        }
        return new LedgerReplay(tasks, changes);
    }
}
