using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>The store verbs of the command line, through <see cref="CliApp.Run"/>, on a SQLite file.</summary>
[Trait("Cost", "Slow")]
public sealed class CliStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-cli-store-").FullName;

    private string Db => Path.Combine(_dir, "office.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(false));
        return path;
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (StoreSession.UseRenderer(() => new TestRenderer()))
        {
            var code = CliApp.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
    }

    private (int Code, string Out, string Err) Store(params string[] args) => Cli([.. args, "--store", Db]);

    private void Seed()
    {
        Assert.Equal(0, Store("init").Code);
        Assert.Equal(0, Store("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025", "--actor", "office").Code);
        Assert.Equal(0, Store("import", "observations", Write("observations.csv", Mini.ObservationsCsv), "--actor", "office").Code);
        Assert.Equal(0, Store("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml), "--actor", "author").Code);
        Assert.Equal(0, Store("ruleset", "activate", "mini", "1", "--actor", "chief").Code);
    }

    [Fact]
    public void The_office_workflow_runs_publishes_and_exports()
    {
        var init = Store("init");
        Assert.Equal((0, $"存储已就绪：{Db}（结构版本 {SqliteAssessStore.SchemaVersion}）\n"), (init.Code, init.Out.Replace("\r\n", "\n")));
        var units = Store("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025");
        Assert.Contains("已导入 5 个单位：批次 imp-000001，文件 units.csv", units.Out);
        var observations = Store("import", "observations", Write("observations.csv", Mini.ObservationsCsv));
        Assert.Contains("已导入 17 条数据：批次 imp-000002", observations.Out);
        Assert.Contains("未做改动", Store("import", "observations", Path.Combine(_dir, "observations.csv")).Out);
        Assert.Contains("已存为规则集 mini 第 1 版", Store("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml)).Out);
        Assert.Contains("未新增版本", Store("ruleset", "add", Path.Combine(_dir, "mini.yaml")).Out);
        Assert.Equal("已启用规则集 mini 第 1 版", Store("ruleset", "activate", "mini", "1").Out.Trim());
        Assert.StartsWith("mini\t第 1 版\t启用\t", Store("ruleset", "list").Out);

        var run = Store("run", "--period", "2025Q2", "--level", "county", "--batch-size", "3");
        Assert.Equal(0, run.Code);
        Assert.Contains("运行 run-000001 已成功：2025Q2 county，规则集 mini 第 1 版，评价 4 个单位，记分卡 4 份，通报 2 份", run.Out);
        Assert.Equal("已发布 2025Q2 county 的正式结果：run-000001（第 1 次发布）", Store("publish", "run-000001").Out.Trim());

        var outDir = Path.Combine(_dir, "out");
        var export = Store("export", "--period", "2025Q2", "--out", outDir);
        Assert.Equal(0, export.Code);
        Assert.Contains("county：运行 run-000001，6 个文件", export.Out);
        Assert.Equal(["A1.pdf", "A2.pdf", "B1.pdf", "B2.pdf"], Directory.GetFiles(Path.Combine(outDir, "county", "scorecards")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("run=run-000001 ", File.ReadAllText(Path.Combine(outDir, "county", "bulletins", "乙.pdf")));
    }

    [Fact]
    public void Runs_and_the_audit_log_are_listed()
    {
        Seed();
        Store("run", "--period", "2025Q2", "--level", "county", "--actor", "office");
        Store("publish", "run-000001", "--actor", "chief");
        Store("run", "--period", "2025Q3", "--level", "county", "--actor", "office");

        var runs = Store("runs").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, runs.Length);
        Assert.StartsWith("run-000002\t2025Q3\tcounty\tmini@1\tsucceeded\t-\t", runs[0]);
        Assert.StartsWith("run-000001\t2025Q2\tcounty\tmini@1\tsucceeded\t已发布\t", runs[1]);
        Assert.Single(Store("runs", "--period", "2025Q3").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var audit = Store("audit").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        Assert.Equal(["import.units", "import.observations", "ruleset.add", "ruleset.activate", "run.create", "run.start", "run.succeeded", "publish",
            "run.create", "run.start", "run.succeeded"], audit.Select(a => a[3]));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), audit.Select(a => a[0]));
        Assert.Equal(("chief", "run-000001"), (audit[7][2], audit[7][4]));
    }

    [Fact]
    public void A_bad_file_exits_2_naming_every_bad_row_and_writes_nothing()
    {
        Seed();
        var bad = Write("bad.csv", "unit,indicator,period,actual,target,baseline\nA1,fai,2025Q4,1,,\nZZ,fai,2025Q4,x,,\n");

        var result = Store("import", "observations", bad);

        Assert.Equal(2, result.Code);
        Assert.Equal(["bad.csv:3:unit: 未知的单位 'ZZ'", "bad.csv:3:actual: 'x' 不是数值（小数点用 .，不要千分位和单位）", "bad.csv：共 2 处错误，未写入任何数据"],
            result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        var yaml = Store("ruleset", "add", Write("bad.yaml", "id: x\nname: y\nlevel: county\nclasses: [甲]\nwat: 1\n"));
        Assert.Equal(2, yaml.Code);
        Assert.Contains("bad.yaml:5:1: ", yaml.Err);
        Assert.Equal(2, Store("run", "--period", "2025Q9", "--level", "county").Code);
        Assert.Equal(2, Store("import", "units", Path.Combine(_dir, "missing.csv"), "--year", "2025").Code);
    }

    [Fact]
    public void A_second_ruleset_for_a_level_needs_replace_and_deactivate_leaves_the_level_without_one()
    {
        Seed();
        Assert.Equal(0, Store("ruleset", "add", Write("mini2.yaml", Mini.RulesetYaml.Replace("id: mini", "id: mini-2026")), "--actor", "author").Code);
        var refused = Store("ruleset", "activate", "mini-2026", "1");
        Assert.Equal(3, refused.Code);
        Assert.Contains("县（市、区）层级已启用规则集 mini@1，每个层级只能有一个启用的规则集；要改用 mini-2026@1，请明确替换（命令行 --replace", refused.Err);

        Assert.Equal(0, Store("ruleset", "activate", "mini-2026", "1", "--replace").Code);
        var list = Store("ruleset", "list").Out.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["mini\t第 1 版\t-\t县（市、区）", "mini-2026\t第 1 版\t启用\t县（市、区）"], list.Select(l => string.Join('\t', l.Split('\t').Take(4))));

        var deactivated = Store("ruleset", "deactivate", "mini-2026");
        Assert.Equal((0, "已停用规则集 mini-2026（原启用第 1 版）"), (deactivated.Code, deactivated.Out.Trim()));
        Assert.Equal("规则集 mini-2026 没有启用的版本，无需停用", Store("ruleset", "deactivate", "mini-2026").Out.Trim());
        Assert.Equal(3, Store("ruleset", "deactivate", "nope").Code);
        Assert.Equal(3, Store("run", "--period", "2025Q2", "--level", "county").Code); // no active county ruleset any more
    }

    [Fact]
    public async Task Store_state_errors_exit_3()
    {
        var missing = Store("ruleset", "list");
        Assert.Equal(3, missing.Code);
        Assert.Contains("请先运行 init", missing.Err);

        Seed();
        Assert.Equal(3, Store("publish", "run-000042").Code);
        Assert.Equal(3, Store("export", "--period", "2025Q2", "--out", Path.Combine(_dir, "x")).Code);
        Assert.Equal(3, Store("ruleset", "activate", "mini", "5").Code);
        Assert.Equal(3, Store("run", "--period", "2025Q2", "--level", "town").Code); // no active town ruleset

        await using var store = new SqliteAssessStore(Db);
        var run = await store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", TestClock.Start));
        Assert.Equal(3, Store("publish", run.Id).Code);
    }

    [Fact]
    public void A_template_comes_out_as_xlsx_and_an_unfilled_one_does_not_import()
    {
        Seed();
        var path = Path.Combine(_dir, "q3.xlsx");
        var template = Store("template", "--period", "2025Q3", "--ruleset", "mini", "--out", path);
        Assert.Equal(0, template.Code);
        Assert.Equal("A1", Xlsx.Cells(File.ReadAllBytes(path))["A2"]);

        var import = Store("import", "observations", path);
        Assert.Equal(2, import.Code);
        Assert.StartsWith("q3.xlsx:2:actual: 必填的数值为空", import.Err);
    }

    [Fact]
    public void A_preview_prints_each_unit_under_both_versions()
    {
        Seed();
        Store("ruleset", "add", Write("mini2.yaml", Mini.RulesetV2));

        var preview = Store("ruleset", "preview", "mini", "2", "--period", "2025Q2");

        Assert.Equal(0, preview.Code);
        var lines = preview.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("mini 第 2 版与启用的第 1 版对比，2025Q2", lines[0]);
        Assert.Contains("B1\t乙一县\t乙\t75\t1\t好\t70\t2\t一般\t5\t+1", lines);
    }
}
