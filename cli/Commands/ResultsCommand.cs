using System.CommandLine;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>results RUN --out results.json</c>: writes any run's results JSON as stored (quarter, year or month).</summary>
internal static class ResultsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("RUN") { Description = "运行 id，如 run-000003" };
        var output = new Option<string>("--out") { Description = "写出的结果 JSON 文件", Required = true };
        var store = StoreCommands.StoreOption();
        var command = new Command("results", "写出一次运行的结果 JSON（季度、年度或月度，即存储的结果；可作 evaluate --sources 的公布结果）") { run, output, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var id = parse.GetValue(run)!;
            var bytes = await session.Service.GetResultsJsonAsync(id, ct);
            var path = parse.GetValue(output)!;
            AtomicFile.Write(path, bytes);
            stdout.WriteLine($"运行 {id} 的结果 JSON 已写入 {path}（{bytes.Length} 字节，SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}）");
            return CliApp.Ok;
        }, ct));
        return command;
    }
}
