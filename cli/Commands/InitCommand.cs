using System.CommandLine;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>init</c>: creates the store (or brings an existing one to the current schema).</summary>
internal static class InitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = StoreCommands.StoreOption();
        var command = new Command("init", "创建存储（已存在则升级结构，不改动数据）") { store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: true, session =>
        {
            var schema = session.IsSqlite ? $"（结构版本 {SqliteAssessStore.SchemaVersion}）" : $"（结构版本 {AzureAssessStore.SchemaVersion}）";
            stdout.WriteLine($"存储已就绪：{session.Description}{schema}");
            return Task.FromResult(CliApp.Ok);
        }, ct));
        return command;
    }
}
