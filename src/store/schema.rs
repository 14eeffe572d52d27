//! Schema migrations, applied in order and counted in `PRAGMA user_version`.
//! `PRAGMA application_id` marks a file as a hotline database so that `init`
//! never touches someone else's SQLite file.

/// "HLIN" — written into the database header by the first migration.
pub const APPLICATION_ID: i64 = 0x484C_494E;

/// Each entry moves the schema one version up. Never edit a released entry;
/// append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the whole initial schema. Times are unix seconds (UTC).
    r#"
CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent','supervisor','manager','admin')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    class TEXT NOT NULL DEFAULT 'c' CHECK (class IN ('a','b','c','d')),
    plates TEXT NOT NULL DEFAULT '',          -- normalised, space separated
    identifiers TEXT NOT NULL DEFAULT '',     -- product model, contract no., ...
    tags TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    confidential INTEGER NOT NULL DEFAULT 0,
    last_contact_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Normalised phones (digits, '+' where given); one customer may have many.
CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    phone TEXT NOT NULL,
    PRIMARY KEY (phone, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_phones_by_customer ON customer_phones(customer_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES categories(id),
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
);

-- R1: per-day sequence behind complaint numbers.
CREATE TABLE number_seq (
    day TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers(id),
    anonymous INTEGER NOT NULL DEFAULT 0,
    complainant_name TEXT NOT NULL DEFAULT '',
    complainant_phone TEXT NOT NULL DEFAULT '',
    complainant_address TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    severity TEXT NOT NULL CHECK (severity IN ('general','important','major')),
    major_reasons TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('new','in_progress','resolved','closed')),
    assignee_id INTEGER REFERENCES agents(id),
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    complainant_count INTEGER NOT NULL DEFAULT 1,
    sensitive INTEGER NOT NULL DEFAULT 0,
    no_callback INTEGER NOT NULL DEFAULT 0,    -- R22 reasons apply
    received_at INTEGER NOT NULL,
    registered_at INTEGER NOT NULL,
    registered_by INTEGER REFERENCES agents(id),
    updated_at INTEGER NOT NULL,
    -- SLA clocks (R9-R12): when at risk, when due, when met.
    fr_risk INTEGER NOT NULL, fr_due INTEGER NOT NULL, fr_at INTEGER,
    sol_risk INTEGER NOT NULL, sol_due INTEGER NOT NULL, sol_at INTEGER,
    close_risk INTEGER NOT NULL, close_due INTEGER NOT NULL, closed_at INTEGER,
    ack_risk INTEGER, ack_due INTEGER, ack_at INTEGER, ack_by INTEGER REFERENCES agents(id),
    resolved_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_open ON complaints(status) WHERE status <> 'closed';
CREATE INDEX complaints_by_customer ON complaints(customer_id);
CREATE INDEX complaints_by_registered ON complaints(registered_at);

-- R5: each report of the same problem, with its own time and channel.
CREATE TABLE complaint_reports (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    received_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers(id),
    complainant_name TEXT NOT NULL DEFAULT '',
    complainant_phone TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    agent_id INTEGER REFERENCES agents(id)
);
CREATE INDEX complaint_reports_by_complaint ON complaint_reports(complaint_id);

-- Every transition, reclassification, severity change, assignment, merge.
CREATE TABLE complaint_events (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    at INTEGER NOT NULL,
    agent_id INTEGER REFERENCES agents(id),
    kind TEXT NOT NULL,
    old TEXT,
    new TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_by_complaint ON complaint_events(complaint_id, at);

CREATE TABLE scripts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (key, lang)
);

CREATE TABLE outcome_codes (
    code TEXT PRIMARY KEY,
    effect TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER REFERENCES complaints(id),
    customer_id INTEGER REFERENCES customers(id),
    callback_id INTEGER REFERENCES callbacks(id),
    agent_id INTEGER REFERENCES agents(id),
    direction TEXT NOT NULL CHECK (direction IN ('inbound','outbound')),
    method TEXT NOT NULL DEFAULT 'phone',
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    script_key TEXT,
    outcome TEXT REFERENCES outcome_codes(code),
    notes TEXT NOT NULL DEFAULT '',
    survey_answers TEXT,
    survey_score INTEGER,
    signature TEXT
);
CREATE INDEX contacts_by_complaint ON contacts(complaint_id);
CREATE INDEX contacts_by_customer ON contacts(customer_id);

CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    customer_id INTEGER REFERENCES customers(id),
    due_at INTEGER NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('survey','follow_up','retry')),
    assignee_id INTEGER REFERENCES agents(id),
    assignee_role TEXT CHECK (assignee_role IN ('agent','supervisor','manager','admin')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    status TEXT NOT NULL CHECK (status IN ('pending','done','failed','cancelled')),
    method TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX callbacks_pending ON callbacks(due_at) WHERE status = 'pending';
CREATE INDEX callbacks_by_complaint ON callbacks(complaint_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Bumped by triggers on every settings change, so a process can keep its
-- parsed settings until the revision moves.
CREATE TABLE settings_rev (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
);
INSERT INTO settings_rev (id, rev) VALUES (1, 0);
CREATE TRIGGER settings_rev_ins AFTER INSERT ON settings
BEGIN UPDATE settings_rev SET rev = rev + 1; END;
CREATE TRIGGER settings_rev_upd AFTER UPDATE ON settings
BEGIN UPDATE settings_rev SET rev = rev + 1; END;
CREATE TRIGGER settings_rev_del AFTER DELETE ON settings
BEGIN UPDATE settings_rev SET rev = rev + 1; END;

-- R18: unfinished notes and forms, per agent and context.
CREATE TABLE drafts (
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    context TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (agent_id, context)
);

-- Append-only: who viewed or changed which record, when and why.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    agent_id INTEGER,
    agent_login TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    purpose TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_entity ON audit(entity, entity_id, at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
"#,
    // 2: the customer search index (src/search) follows changes by a
    // revision, not by time: a counter moved by triggers inside the writing
    // transaction, so it grows in commit order whatever the writers' clocks
    // say and however long their transactions ran. Every insert, update and
    // delete of a customer or of one of its phones gives the customer the
    // next revision; deleted customers are remembered with theirs.
    r#"
ALTER TABLE customers ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customers_by_rev ON customers(rev);

CREATE TABLE customer_rev (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL
);
INSERT INTO customer_rev (id, rev) VALUES (1, 0);

CREATE TABLE customers_removed (
    id INTEGER NOT NULL,
    rev INTEGER NOT NULL
);
CREATE INDEX customers_removed_by_rev ON customers_removed(rev);

-- `store::customers::insert` gives the new row the next revision itself
-- (one write less per customer); rows inserted without one get it here.
CREATE TRIGGER customers_rev_ins AFTER INSERT ON customers
BEGIN
    UPDATE customer_rev SET rev = max(rev + 1, NEW.rev);
    UPDATE customers SET rev = (SELECT rev FROM customer_rev)
    WHERE id = NEW.id AND rev <> (SELECT rev FROM customer_rev);
END;
-- The WHEN clause keeps the trigger's own UPDATE from firing it again.
CREATE TRIGGER customers_rev_upd AFTER UPDATE ON customers WHEN NEW.rev = OLD.rev
BEGIN
    UPDATE customer_rev SET rev = rev + 1;
    UPDATE customers SET rev = (SELECT rev FROM customer_rev) WHERE id = NEW.id;
END;
CREATE TRIGGER customers_rev_del AFTER DELETE ON customers
BEGIN
    UPDATE customer_rev SET rev = rev + 1;
    INSERT INTO customers_removed (id, rev) VALUES (OLD.id, (SELECT rev FROM customer_rev));
END;
-- A phone added to the customer that holds the latest revision (usually:
-- inserted just before, in the same transaction) leaves the revision as it
-- is. That is safe because readers re-read the row holding the revision
-- they saw last (`rev >= last`, see store::customer_keys::changes).
CREATE TRIGGER customer_phones_rev_ins AFTER INSERT ON customer_phones
WHEN (SELECT rev FROM customers WHERE id = NEW.customer_id) <> (SELECT rev FROM customer_rev)
BEGIN
    UPDATE customer_rev SET rev = rev + 1;
    UPDATE customers SET rev = (SELECT rev FROM customer_rev) WHERE id = NEW.customer_id;
END;
CREATE TRIGGER customer_phones_rev_del AFTER DELETE ON customer_phones
BEGIN
    UPDATE customer_rev SET rev = rev + 1;
    UPDATE customers SET rev = (SELECT rev FROM customer_rev) WHERE id = OLD.customer_id;
END;
"#,
    // 3: an identity for this database, so that a file written for one
    // database (the search index snapshot beside it, src/search/snapshot.rs)
    // is never taken for another's: random, made once, kept by copies and
    // backups of the file (which hold the same customers).
    r#"
CREATE TABLE db_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    uuid BLOB NOT NULL CHECK (length(uuid) = 16)
);
INSERT INTO db_identity (id, uuid) VALUES (1, randomblob(16));
"#,
    // 4 (issue 11, trust): the audit keeps the OS account that ran the
    // process next to the agent it acted as (`--agent`), and the database
    // remembers when it was created (the earliest `received_at` intake takes
    // is that minus `intake.backfill_days`).
    r#"
ALTER TABLE audit ADD COLUMN os_user TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS db_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO db_meta (key, value)
    SELECT 'created_at', coalesce(min(created_at), CAST(strftime('%s','now') AS INTEGER))
    FROM agents WHERE created_at > 0;
"#,
    // 5 (issue 8, reports and wallboard): indexes only. The monthly report
    // (R28) counts callbacks by due time and surveys by time, the wallboard
    // (R27) today's calls per agent and today's failed callbacks; the open list
    // at a month's or year's end (R29) walks complaints closed after it.
    r#"
CREATE INDEX IF NOT EXISTS callbacks_by_due ON callbacks(due_at);
CREATE INDEX IF NOT EXISTS contacts_by_started ON contacts(started_at);
CREATE INDEX IF NOT EXISTS contacts_by_callback ON contacts(callback_id) WHERE callback_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS callbacks_failed ON callbacks(updated_at) WHERE status = 'failed';
CREATE INDEX IF NOT EXISTS complaints_by_closed ON complaints(closed_at, registered_at) WHERE closed_at IS NOT NULL;
-- Covers every per-month count of the report, so a month is read from
-- the index alone (a month at 1M complaints: ~80k entries).
CREATE INDEX IF NOT EXISTS complaints_report ON complaints(registered_at, category_id, severity,
    channel, fr_due, fr_at, sol_due, sol_at, close_due, closed_at, ack_due, ack_at, resolved_at);
CREATE INDEX IF NOT EXISTS complaints_major ON complaints(registered_at) WHERE severity = 'major';
"#,
    // 6 (issue 9, the server): agents' SSH public keys. The key decides who
    // logs in (`hotline serve`, `hotline keys`); a fingerprint belongs to one
    // agent only.
    r#"
CREATE TABLE IF NOT EXISTS agent_keys (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    algorithm TEXT NOT NULL,
    key_data TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    comment TEXT NOT NULL DEFAULT '',
    added_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS agent_keys_by_agent ON agent_keys(agent_id);
"#,
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
