using System.Text.Json;
using System.Text.Json.Serialization;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>How both ledger stores write a task and a history entry: JSON, enums by name, dates as <c>YYYY-MM-DD</c>.</summary>
internal static class LedgerJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(LedgerTask task) => JsonSerializer.Serialize(task, Options);

    public static string Write(LedgerEvent entry) => JsonSerializer.Serialize(entry, Options);

    public static LedgerTask Task(string json) => JsonSerializer.Deserialize<LedgerTask>(json, Options) ?? throw new InvalidDataException("ledger task");

    public static LedgerEvent Event(string json) => JsonSerializer.Deserialize<LedgerEvent>(json, Options) ?? throw new InvalidDataException("ledger entry");

    /// <summary>Checks a write: its entry is the task's, and the next version.</summary>
    public static void Check(int year, LedgerTask task, LedgerEvent entry)
    {
        if (task.Year != year || entry.Year != year || entry.TaskId != task.Id || entry.Sequence != task.Version || entry.Sequence < 1)
            throw new StoreException(StoreError.Invalid, $"任务 {task.Id} 的写入与其记录不一致（版本 {task.Version}，记录 {entry.Sequence}）");
        if (!LedgerFile.IsId(task.Id)) throw new StoreException(StoreError.Invalid, $"任务编号 '{task.Id}' 不合规");
    }

    public static StoreException Conflict(string id) =>
        new(StoreError.Conflict, $"任务 {id} 已被他人修改（在您读取之后），本次操作未写入；请刷新后重试");

    public static bool IsSha(string sha) => sha.Length == 64 && sha.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
