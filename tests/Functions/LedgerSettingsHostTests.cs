using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The app's <c>Ledger:RemindDays</c> and <c>Ledger:RedAfterDays</c> reach every part that lights tasks: the ledger's use cases
/// (lists, the board) and the run service (a month run's ledger bulletin, the scorecards' ledger section); without them, the
/// contract's defaults.
/// </summary>
public sealed class LedgerSettingsHostTests
{
    [Theory]
    [InlineData("9", "4", 9, 4)]
    [InlineData(null, null, 3, 30)]
    public async Task The_hosts_light_settings_reach_the_ledger_and_the_run_service(string? remind, string? red, int remindDays, int redAfterDays)
    {
        var directory = Directory.CreateTempSubdirectory("bqw-ledger-settings-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>();
            if (remind is not null) settings["Ledger:RemindDays"] = remind;
            if (red is not null) settings["Ledger:RedAfterDays"] = red;
            await using var app = new AssessAppFactory("sqlite", Path.Combine(directory, "a.db"), settings);
            var expected = new LedgerSettings(remindDays, redAfterDays);
            Assert.Equal(expected, app.Services.GetRequiredService<AssessmentService>().Runs.LedgerSettings);
            Assert.Equal(expected, app.Services.GetRequiredService<AssessmentService>().Runs.With(new BaiQianWan.Assess.Workflow.Runs.RunOptions()).LedgerSettings);
            Assert.Equal(expected, app.Services.GetRequiredService<LedgerService>().Settings);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
