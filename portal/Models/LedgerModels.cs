using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A task's line on a ledger page: the task as it stands today, its light, and the names shown beside it.</summary>
/// <param name="Task">The task now.</param>
/// <param name="Light">Its light on <see cref="LedgerBoardModel.On"/> (China date).</param>
/// <param name="DaysOverdue">Days past its deadline (0 when not late).</param>
/// <param name="UnitName">The responsible unit's name (its code when the year's units do not name it).</param>
/// <param name="Stage">The title of the stage (the top item above it), or empty.</param>
/// <param name="Url">The task's page (its history).</param>
public sealed record LedgerLine(LedgerTask Task, TaskLight Light, int DaysOverdue, string UnitName, string Stage, string Url);

/// <summary>A choice of a filter: its value and what the list shows.</summary>
public sealed record LedgerChoice(string Value, string Label);

/// <summary>How many tasks are in a state or have a light, with the board's address filtered to them.</summary>
public sealed record LedgerCount(string Label, int Count, string Url, bool Current);

/// <summary>The office's board of a year's tasks (contract §5).</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Year">The ledger's year.</param>
/// <param name="On">The China date the lights are for (today).</param>
/// <param name="Filter">The filters as given (unit, stage, leader, state, light).</param>
/// <param name="Units">Unit choices.</param>
/// <param name="Stages">Stage choices.</param>
/// <param name="Leaders">Leader choices.</param>
/// <param name="States">Counts by state over the tasks the unit, stage and leader filters keep.</param>
/// <param name="Lights">Counts by light over the same.</param>
/// <param name="Total">Tasks every filter keeps.</param>
/// <param name="Lines">This page of them (red first, then by days overdue, deadline and id).</param>
/// <param name="Page">The page (1-based).</param>
/// <param name="Pages">How many pages.</param>
/// <param name="PageUrl">The address of page n with the same filters.</param>
/// <param name="Queue">The verification queue's size (submissions and extension requests).</param>
public sealed record LedgerBoardModel(PageFrame Frame, int Year, DateOnly On, LedgerFilter Filter, IReadOnlyList<LedgerChoice> Units,
    IReadOnlyList<LedgerChoice> Stages, IReadOnlyList<LedgerChoice> Leaders, IReadOnlyList<LedgerCount> States, IReadOnlyList<LedgerCount> Lights,
    int Total, IReadOnlyList<LedgerLine> Lines, int Page, int Pages, Func<int, string> PageUrl, int Queue)
{
    /// <summary>
    /// The board's body (everything inside the layout) already rendered from this same model, as
    /// <see cref="Building.LedgerPages"/> keeps it per list, filter and page; null to render it with the page.
    /// </summary>
    public string? Body { get; init; }
}

/// <summary>The board's filters, as the address gives them (empty: all).</summary>
public sealed record LedgerFilter(string Unit = "", string Stage = "", string Leader = "", string State = "", string Light = "");

/// <summary>The office's verification queue: submissions to verify (close or return) and extension requests to decide.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Year">The ledger's year.</param>
/// <param name="On">Today (China date).</param>
/// <param name="Submitted">Tasks 待核验, oldest submission first.</param>
/// <param name="Extensions">Tasks with a pending extension request.</param>
/// <param name="Account">The signed-in account (it may not verify its own submissions).</param>
public sealed record LedgerQueueModel(PageFrame Frame, int Year, DateOnly On, IReadOnlyList<LedgerLine> Submitted, IReadOnlyList<LedgerLine> Extensions, string Account);

/// <summary>An entry of a task's history as shown.</summary>
/// <param name="Event">The entry.</param>
/// <param name="Files">Its files with their download addresses.</param>
public sealed record LedgerEntryLine(LedgerEvent Event, IReadOnlyList<(EvidenceFile File, string Url)> Files);

/// <summary>A task's page: where it stands, every entry of its history, and the forms the visitor may use.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Line">The task now, with its light today.</param>
/// <param name="Parent">The item it belongs to (id and title), or null.</param>
/// <param name="History">Every entry, oldest first.</param>
/// <param name="IsOffice">The office (it sees the office's forms).</param>
/// <param name="IsOwner">The task's own unit (it sees the submit and extension forms).</param>
/// <param name="Account">The signed-in account.</param>
/// <param name="Back">The list the visitor came from (the board or the unit's list).</param>
/// <param name="On">Today (China date).</param>
public sealed record LedgerTaskModel(PageFrame Frame, LedgerLine Line, string? Parent, IReadOnlyList<LedgerEntryLine> History, bool IsOffice, bool IsOwner,
    string Account, string Back, DateOnly On);

/// <summary>A unit's tasks with the submit and extension forms.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Year">The ledger's year.</param>
/// <param name="On">Today (China date).</param>
/// <param name="Code">The unit.</param>
/// <param name="Name">Its name.</param>
/// <param name="Lines">Its tasks (red first, then by days overdue, deadline and id).</param>
/// <param name="MayAct">The unit's own account (the forms are its; the office acts from the task page).</param>
public sealed record LedgerUnitModel(PageFrame Frame, int Year, DateOnly On, string Code, string Name, IReadOnlyList<LedgerLine> Lines, bool MayAct);

/// <summary>A unit home's list of its late and near-due tasks.</summary>
/// <param name="On">Today (China date).</param>
/// <param name="Lines">Tasks with a light (red, yellow, blue), red first.</param>
/// <param name="ListUrl">The unit's task list.</param>
public sealed record LedgerDueModel(DateOnly On, IReadOnlyList<LedgerLine> Lines, string ListUrl);
