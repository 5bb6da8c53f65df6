using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>What a caller may be let in for, by role alone (the gate and the portal's pages ask <see cref="AccessPolicy.Has"/>).</summary>
public enum Right
{
    /// <summary>The office's work: evaluations, publication, imports, rankings, archives, accounts, audit.</summary>
    Office,

    /// <summary>Rulesets: the office and authors (writing, checking, previewing).</summary>
    Rulesets,

    /// <summary>Published results of a unit: the office, and a unit (which unit's is <see cref="AccessPolicy.MayReadUnit"/>'s to say).</summary>
    Results,

    /// <summary>The task ledger: the office (everything) and a unit (its own tasks: which changes, the ledger's
    /// <see cref="LedgerActor"/> rules decide, from <see cref="AccessPolicy.LedgerActorOf"/>).</summary>
    Ledger,

    /// <summary>Notice and review (公示、复核): the office (publishes, answers, makes final) and a unit (files and withdraws
    /// requests on its own results: the <see cref="ReviewService"/> decides which, from <see cref="AccessPolicy.ReviewActorOf"/>).</summary>
    Review,
}

/// <summary>
/// The one access policy of the app, for the API and the portal alike (the caller is a <see cref="PortalUser"/> in both:
/// a token's or Easy Auth's claims, or a session's account). Role rights (<see cref="Has"/>) let a caller into a function
/// or page; unit and bulletin rights are decided from the <b>published run's own units</b> (<see cref="PublishedResults.UnitsAsync"/>, the one read model of published results),
/// never from a year's units table, so a town moved to another county later (or in another year) is read by the county
/// it belonged to in that run: the office reads everything; a unit its own unit's scorecards; a county also the
/// scorecards of the towns whose parent it was in that town run; a unit the bulletin of the class it was ranked in by
/// that run (a county not its towns' class bulletins). Anything else is refused the same way whether or not the unit,
/// class or result exists, so a unit cannot probe for others.
/// </summary>
public static class AccessPolicy
{
    /// <summary>True when <paramref name="user"/> (null: nobody, or a role the app does not know) has <paramref name="right"/>.</summary>
    public static bool Has(PortalUser? user, Right right) => user is not null && right switch
    {
        Right.Office => user.Role == AccountRole.Office,
        Right.Rulesets => user.Role is AccountRole.Office or AccountRole.Author,
        Right.Results => user.Role == AccountRole.Office || IsUnit(user, out _),
        Right.Ledger => user.Role == AccountRole.Office || IsUnit(user, out _),
        Right.Review => user.Role == AccountRole.Office || IsUnit(user, out _),
        _ => false,
    };

    /// <summary>True when <paramref name="user"/> may read unit <paramref name="code"/>'s documents of a published run.</summary>
    /// <param name="user">The caller.</param>
    /// <param name="code">The unit asked for.</param>
    /// <param name="level">The level of the published run that scored the unit, or null when none did.</param>
    /// <param name="units">That run's scored units (its snapshot), or null when none scored it.</param>
    public static bool MayReadUnit(PortalUser? user, string code, UnitLevel? level, IReadOnlyDictionary<string, PublishedResults.Unit>? units)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (user?.Role == AccountRole.Office) return true;
        if (!IsUnit(user, out var own)) return false;
        if (string.Equals(code, own, StringComparison.Ordinal)) return true;
        // A county reads a town of a town run whose parent, in that run, is the county (a unit of the run itself never does).
        return level == UnitLevel.Town && units is not null && units.TryGetValue(code, out var asked)
            && string.Equals(asked.Parent, own, StringComparison.Ordinal) && !units.ContainsKey(own);
    }

    /// <summary>True when <paramref name="user"/> may read the bulletin of <paramref name="class"/> in a published run (a unit:
    /// its own class's, and a year run's level-wide ranking).</summary>
    /// <param name="user">The caller.</param>
    /// <param name="class">The class asked for.</param>
    /// <param name="units">That run's scored units, or null when there is no published run.</param>
    public static bool MayReadBulletin(PortalUser? user, string @class, IReadOnlyDictionary<string, PublishedResults.Unit>? units)
    {
        ArgumentNullException.ThrowIfNull(@class);
        if (user?.Role == AccountRole.Office) return true;
        if (!IsUnit(user, out var own)) return false;
        if (units is null || !units.TryGetValue(own, out var self)) return false;
        // A year run's level-wide ranking (全省排名, kept as the bulletin keyed level-<level>) is every ranked unit of the
        // level: each unit of the run reads it. A class of that very name stays a class.
        if (@class.StartsWith(LevelRankingPrefix, StringComparison.Ordinal) && !units.Values.Any(u => string.Equals(u.Class, @class, StringComparison.Ordinal)))
            return true;
        return string.Equals(self.Class, @class, StringComparison.Ordinal);
    }

    /// <summary>The start of the level-wide ranking's bulletin key (<c>level-county</c>, <c>level-town</c>).</summary>
    private const string LevelRankingPrefix = "level-";

    /// <summary>
    /// True when <paramref name="user"/> may read a published month run's bulletin keyed <paramref name="level"/> (the
    /// run's level, <c>county</c> or <c>town</c>; a month bulletin covers every class of its level): the office, and a unit
    /// the run lit (any class). A unit of the other level, or one the run did not hold, is refused.
    /// </summary>
    /// <param name="user">The caller.</param>
    /// <param name="level">The bulletin's key: the month run's level as text.</param>
    /// <param name="units">That month run's units, or null when there is no published run.</param>
    public static bool MayReadMonthBulletin(PortalUser? user, string level, IReadOnlyDictionary<string, PublishedResults.Unit>? units)
    {
        ArgumentNullException.ThrowIfNull(level);
        if (user?.Role == AccountRole.Office) return true;
        if (!IsUnit(user, out var own)) return false;
        return units is not null && units.ContainsKey(own)
            && (level == UnitLevel.County.ToText() || level == UnitLevel.Town.ToText());
    }

    /// <summary>
    /// The ledger's actor for <paramref name="user"/>: the office as itself, a unit's account as that unit; null for anyone
    /// else (an author, a unit account without a unit, nobody), who has no business in the ledger.
    /// </summary>
    public static LedgerActor? LedgerActorOf(PortalUser? user)
    {
        if (user?.Role == AccountRole.Office) return LedgerActor.Office(user.Name);
        return IsUnit(user, out var own) ? LedgerActor.OfUnit(user!.Name, own) : null;
    }

    /// <summary>
    /// The review flow's actor for <paramref name="user"/>: the office as itself, a unit's account as that unit; null for
    /// anyone else (an author, a unit account without a unit, nobody), who neither files nor answers review requests.
    /// </summary>
    public static ReviewActor? ReviewActorOf(PortalUser? user)
    {
        if (user?.Role == AccountRole.Office) return ReviewActor.Office(user.Name);
        return IsUnit(user, out var own) ? ReviewActor.OfUnit(user!.Name, own) : null;
    }

    private static bool IsUnit(PortalUser? user, out string own)
    {
        own = user?.UnitCode ?? "";
        return user?.Role == AccountRole.Unit && own.Length > 0;
    }
}
