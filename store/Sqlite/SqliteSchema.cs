using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// One numbered migration: SQL, and for a data upgrade the code that does it, applied in one transaction with its record.
/// </summary>
/// <param name="Number">Its number, from 1 (migration n brings the schema from version n − 1 to n).</param>
/// <param name="Name">What it does, as recorded in <c>schema_migration</c>.</param>
/// <param name="Sql">Its SQL (empty for a data upgrade done by <paramref name="Code"/> alone).</param>
/// <param name="Code">The data upgrade it runs after its SQL, inside the same transaction, or null.</param>
internal sealed record SqliteMigration(int Number, string Name, string Sql, Action<SqliteConnection, SqliteTransaction>? Code = null)
{
    /// <summary>Its SQL (tests build older files from the SQL of the first migrations).</summary>
    public override string ToString() => Sql;

    /// <summary>Its SQL.</summary>
    public static implicit operator string(SqliteMigration migration) => migration?.Sql ?? "";
}

/// <summary>
/// The schema as numbered migrations, applied in order by <see cref="SqliteAssessStore.InitializeAsync"/>, each once:
/// <c>PRAGMA user_version</c> holds how many are applied, and from migration 6 on the table <c>schema_migration</c>
/// records each one (number and name; 6 records 1–5 too). A migration is never edited once released: changes come as a
/// new one appended to the list. The upgrades of data an older program wrote (7 and 8) are migrations like the others,
/// so they run once, not on every start; 7 is the only code of the store that parses a ruleset text.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The first migration recorded in <c>schema_migration</c> by the runner (the table's own).</summary>
    public const int Recorded = 6;

    public static readonly SqliteMigration[] Migrations =
    [
        new(1, "store: units, observations, imports, rulesets, runs, results, documents, publications, audit", """
        CREATE TABLE import_batch (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            year INTEGER NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            content BLOB NOT NULL
        );
        CREATE INDEX import_batch_sha ON import_batch (kind, sha256);

        CREATE TABLE unit (
            year INTEGER NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            parent TEXT NULL,
            class TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (year, code)
        ) WITHOUT ROWID;

        CREATE TABLE observation (
            period TEXT NOT NULL,
            unit TEXT NOT NULL,
            indicator TEXT NOT NULL,
            actual TEXT NOT NULL,
            target TEXT NULL,
            baseline TEXT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (period, unit, indicator)
        ) WITHOUT ROWID;

        CREATE TABLE ruleset_version (
            ruleset_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            yaml TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (ruleset_id, version)
        );

        CREATE TABLE ruleset_active (
            ruleset_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL
        );

        CREATE TABLE run (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            period TEXT NOT NULL,
            level TEXT NOT NULL,
            ruleset_id TEXT NOT NULL,
            ruleset_version INTEGER NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NULL,
            data_sha256 TEXT NULL,
            actor TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            started_at TEXT NULL,
            completed_at TEXT NULL,
            idempotency_key TEXT NULL UNIQUE,
            sample INTEGER NOT NULL,
            previous_run_id TEXT NULL
        );

        CREATE TABLE run_result (
            run_id TEXT PRIMARY KEY,
            json BLOB NOT NULL
        );

        CREATE TABLE unit_result (
            run_id TEXT NOT NULL,
            code TEXT NOT NULL,
            json BLOB NOT NULL,
            PRIMARY KEY (run_id, code)
        ) WITHOUT ROWID;

        CREATE TABLE document (
            run_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            content BLOB NOT NULL,
            PRIMARY KEY (run_id, kind, key)
        );

        CREATE TABLE publication (
            period TEXT NOT NULL,
            level TEXT NOT NULL,
            run_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            revision INTEGER NOT NULL,
            PRIMARY KEY (period, level)
        );

        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NULL
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        """),
        // 2: a run's scorecard archive, built once (at publication) and streamed from here. A rowid table, so
        // the bytes are written and read in chunks through SQLite's incremental blob I/O.
        new(2, "runs: scorecard archives", """
        CREATE TABLE run_archive (
            run_id TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            length INTEGER NOT NULL,
            content BLOB NOT NULL
        );
        """),
        // 3 (runs): the documents a run's results call for, fixed when they are saved (null on older rows: the workflow
        // then counts them from the stored results), and the run's last heartbeat (its lease counts from it).
        new(3, "runs: documents expected, heartbeat", """
        ALTER TABLE run ADD COLUMN scorecards_expected INTEGER NULL;
        ALTER TABLE run ADD COLUMN bulletins_expected INTEGER NULL;
        ALTER TABLE run ADD COLUMN heartbeat_at TEXT NULL;
        """),
        // 4 (rulesets): a version's level and classes stored with its text, and the level of each active pointer (rows written
        // before are filled in by migrations 7 and 8).
        new(4, "rulesets: level and classes columns", """
        ALTER TABLE ruleset_version ADD COLUMN level TEXT NULL;
        ALTER TABLE ruleset_version ADD COLUMN classes TEXT NULL;
        ALTER TABLE ruleset_active ADD COLUMN level TEXT NULL;
        CREATE INDEX ruleset_active_level ON ruleset_active (level);
        """),
        // 5 (imports): the rows of each period an observations file held (null on older rows and for units).
        new(5, "imports: periods of an observations batch", """
        ALTER TABLE import_batch ADD COLUMN periods TEXT NULL;
        """),
        // 6: every migration recorded: 1–5 by this one, each later one by the runner in its own transaction.
        new(6, "migrations recorded", """
        CREATE TABLE schema_migration (
            number INTEGER PRIMARY KEY,
            name TEXT NOT NULL
        );
        """, SqliteAssessStore.RecordEarlierMigrations),
        // 7 (rulesets, data): versions an older program stored without their level and classes get them, read once from
        // their texts (the only place the store parses a ruleset).
        new(7, "rulesets: level and classes of older versions, from their texts", "", SqliteAssessStore.FillRulesetOutlines),
        // 8 (rulesets, data): a level an older replace left with two active rulesets keeps the one activated last; every
        // active pointer gets its level.
        new(8, "rulesets: one active ruleset per level", "", SqliteAssessStore.OneActiveRulesetPerLevel),
        // 9 (observations): a month's plan figure (monthly bulletins), exact decimal text like the other figures; null on
        // older rows and where a file has no plan.
        new(9, "observations: plan column", """
        ALTER TABLE observation ADD COLUMN plan TEXT NULL;
        """),
        // 10 (rulesets, runs): what a version is (quarter: a quarterly scoring ruleset, year: a yearly one, monitor: a monitor),
        // the active slot of a level it takes (one active version per level and slot; older rows are quarterly rulesets),
        // and a month run's results (a monitor's MonthResult JSON), apart from the scoring results.
        new(10, "rulesets: slots (quarter, year, monitor); runs: month results", """
        ALTER TABLE ruleset_version ADD COLUMN slot TEXT NOT NULL DEFAULT 'quarter';
        ALTER TABLE ruleset_active ADD COLUMN slot TEXT NOT NULL DEFAULT 'quarter';
        CREATE INDEX ruleset_active_level_slot ON ruleset_active (level, slot);
        CREATE TABLE month_result (
            run_id TEXT PRIMARY KEY,
            json BLOB NOT NULL
        );
        """),
        // 11 (ledger): the task ledgers' tables, which the ledger store created on each start before (IF NOT EXISTS: a file
        // that has them keeps them and their rows as they are).
        new(11, "ledger: tasks, history entries, evidence files", """
        CREATE TABLE IF NOT EXISTS ledger_task (
            year INTEGER NOT NULL,
            id TEXT NOT NULL,
            unit_code TEXT NULL,
            state TEXT NOT NULL,
            version INTEGER NOT NULL,
            loaded_due TEXT NULL,
            loaded_state TEXT NOT NULL,
            loaded_done TEXT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (year, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ledger_event (
            year INTEGER NOT NULL,
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            change TEXT NOT NULL,
            at TEXT NOT NULL,
            on_date TEXT NOT NULL,
            actor TEXT NOT NULL,
            date TEXT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (year, task_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ledger_file (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            content BLOB NOT NULL
        ) WITHOUT ROWID;
        """),
        // 12 (runs): each PDF kept once: a run's ZIP is assembled on download from its stored documents, so the stored
        // archives (a second copy of every scorecard) go. Their pages are freed for reuse; `VACUUM` gives them back to the disk.
        new(12, "runs: archives assembled on download, stored ones dropped", """
        DROP TABLE run_archive;
        """),
        // 13 (publications): notice and review (公示、复核): each publication's notice (every pointer so far gets its own, final),
        // and the units' review requests with their answers.
        new(13, "publications: notices and review requests", """
        CREATE TABLE publication_notice (
            period TEXT NOT NULL,
            level TEXT NOT NULL,
            revision INTEGER NOT NULL,
            run_id TEXT NOT NULL,
            state TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            notice_days INTEGER NULL,
            deadline TEXT NULL,
            closed_by TEXT NULL,
            closed_at TEXT NULL,
            closed_note TEXT NULL,
            PRIMARY KEY (period, level, revision)
        );
        INSERT INTO publication_notice (period, level, revision, run_id, state, actor, at)
            SELECT period, level, revision, run_id, 'final', actor, at FROM publication;
        CREATE TABLE review_request (
            id TEXT PRIMARY KEY,
            period TEXT NOT NULL,
            level TEXT NOT NULL,
            unit TEXT NOT NULL,
            filed_run TEXT NOT NULL,
            filed_revision INTEGER NOT NULL,
            run_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            target_kind TEXT NOT NULL,
            target TEXT NOT NULL,
            reason TEXT NOT NULL,
            files TEXT NOT NULL,
            filed_by TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            state TEXT NOT NULL,
            answer TEXT NULL,
            answered_by TEXT NULL,
            answered_at TEXT NULL,
            correcting_run TEXT NULL,
            closed_at TEXT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX review_request_period ON review_request (period, level, state);
        """),
        // 14 (ledger): a stamp per ledger year, bumped in the transaction of every import and change, so lists can keep
        // a year's tasks until it moves.
        new(14, "ledger: a stamp per year", """
        CREATE TABLE ledger_year (
            year INTEGER PRIMARY KEY,
            stamp TEXT NOT NULL
        );
        """),
    ];
}
