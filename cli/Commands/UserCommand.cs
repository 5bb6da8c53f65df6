using System.CommandLine;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>user add|disable|enable|reset|list</c>: portal accounts in the store (the same accounts the portal's accounts
/// page manages). New and reset accounts get a one-time password, printed once, to be changed at the first sign-in.
/// Each change is audited with <c>--actor</c> (default: the system user), as imports are.
/// </summary>
internal static class UserCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("user", "门户账户：新建、停用、启用、重置密码、列出");

        var store = StoreCommands.StoreOption();
        var name = new Argument<string>("name") { Description = "登录名（小写字母、数字和 . _ - @）" };
        var display = new Option<string?>("--display") { Description = "显示名（默认同登录名）" };
        var role = new Option<string>("--role") { Description = "角色：office（考核办）、author（规则作者）、unit（单位）", Required = true };
        role.AcceptOnlyFromAmong("office", "author", "unit");
        var unit = new Option<string?>("--unit") { Description = "单位代码（role=unit 时必填；须是已导入的某年单位名单中的单位）" };
        var actor = StoreCommands.ActorOption();
        var add = new Command("add", "新建账户并打印一次性密码") { store, name, display, role, unit, actor };
        add.SetAction((parse, ct) => RunAsync(stdout, stderr, parse.GetValue(store)!, async admin =>
        {
            AccountRoles.TryParse(parse.GetValue(role), out var r);
            var login = parse.GetValue(name)!;
            var (account, password) = await admin.CreateAsync(login, parse.GetValue(display) ?? login, r, parse.GetValue(unit), parse.GetValue(actor)!, ct);
            stdout.WriteLine($"已新建账户 {account.Name}（{account.DisplayName}，{account.Role.ToChinese()}{(account.UnitCode is { } u ? " " + u : "")}）");
            stdout.WriteLine($"一次性密码：{password}");
            stdout.WriteLine("首次登录后须设置新密码；此密码不会再次显示。");
        }, ct));
        command.Subcommands.Add(add);

        foreach (var (verb, enabled, description) in new[] { ("disable", false, "停用账户（不能再登录）"), ("enable", true, "重新启用账户") })
        {
            var s = StoreCommands.StoreOption();
            var n = new Argument<string>("name") { Description = "登录名" };
            var a = StoreCommands.ActorOption();
            var c = new Command(verb, description) { s, n, a };
            c.SetAction((parse, ct) => RunAsync(stdout, stderr, parse.GetValue(s)!, async admin =>
            {
                var account = await admin.SetEnabledAsync(parse.GetValue(n)!, enabled, parse.GetValue(a)!, ct);
                stdout.WriteLine($"账户 {account.Name} 已{(enabled ? "启用" : "停用")}");
            }, ct));
            command.Subcommands.Add(c);
        }

        var resetStore = StoreCommands.StoreOption();
        var resetName = new Argument<string>("name") { Description = "登录名" };
        var resetActor = StoreCommands.ActorOption();
        var reset = new Command("reset", "重置密码（并解除锁定），打印新的一次性密码") { resetStore, resetName, resetActor };
        reset.SetAction((parse, ct) => RunAsync(stdout, stderr, parse.GetValue(resetStore)!, async admin =>
        {
            var login = AccountNames.Normalize(parse.GetValue(resetName)!);
            var password = await admin.ResetAsync(login, parse.GetValue(resetActor)!, ct);
            stdout.WriteLine($"账户 {login} 的一次性密码：{password}");
        }, ct));
        command.Subcommands.Add(reset);

        var listStore = StoreCommands.StoreOption();
        var list = new Command("list", "列出账户") { listStore };
        list.SetAction((parse, ct) => RunAsync(stdout, stderr, parse.GetValue(listStore)!, async admin =>
        {
            var accounts = await admin.ListAsync(ct);
            if (accounts.Count == 0) stdout.WriteLine("没有账户");
            foreach (var a in accounts)
                stdout.WriteLine($"{a.Name}\t{a.DisplayName}\t{a.Role.ToClaim()}\t{a.UnitCode ?? "-"}\t{(a.Enabled ? "enabled" : "disabled")}{(a.MustChangePassword ? "\tone-time" : "")}");
        }, ct));
        command.Subcommands.Add(list);
        return command;
    }

    /// <summary>The account store beside the assessment store named by <c>--store</c> (same SQLite file, or same Azure account).</summary>
    public static async Task<IAccountStore> OpenAsync(string store, bool create, CancellationToken cancellationToken)
    {
        IAccountStore accounts;
        if (StoreSession.IsAzure(store)) accounts = new AzureAccountStore(store);
        else
        {
            var path = Path.GetFullPath(store);
            if (!create && !File.Exists(path))
                throw new StoreException(StoreError.NotFound, $"存储文件不存在：{path}（请先运行 init，或用 --store 指定）");
            accounts = new SqliteAccountStore(path);
        }
        await accounts.InitializeAsync(cancellationToken);
        return accounts;
    }

    private static async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, string store, Func<AccountAdmin, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            await using var accounts = await OpenAsync(store, create: false, cancellationToken);
            // The units unit accounts must name: the assessment store beside the accounts (its schema made by OpenAsync).
            await using IAssessStore units = StoreSession.IsAzure(store) ? new AzureAssessStore(store) : new SqliteAssessStore(Path.GetFullPath(store));
            await body(new AccountAdmin(accounts, TimeProvider.System, units));
            return CliApp.Ok;
        }
        catch (StoreException e)
        {
            stderr.WriteLine(e.Message);
            return e.Error == StoreError.Invalid ? CliApp.InvalidInput : StoreSession.StoreStateError;
        }
    }
}
