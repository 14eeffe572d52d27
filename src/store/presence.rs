//! Agent presence rows, one per running session, in a small SQLite file
//! next to the database (`<db>.presence`). Why a file of its own: every
//! heartbeat is a commit, and a commit to the main file wakes every agent's
//! queue reload through `PRAGMA data_version` (R8); with 200 agents that
//! would be ten queue reloads a second on every screen. Only wallboards
//! watch this file. Presence is ephemeral, so `synchronous=NORMAL`.
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use crate::domain::presence::{Activity, Session};
use crate::error::{Error, Result};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    agent_id INTEGER NOT NULL,
    activity TEXT NOT NULL,
    since INTEGER NOT NULL,
    last_key_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_agent ON sessions(agent_id);";

/// Rows whose heartbeat is older than this are removed when a session starts.
const FORGET_AFTER: i64 = 86_400;

pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".presence");
    PathBuf::from(p)
}

/// Opens (creating when absent) the presence file of database `db`.
pub fn open(db: &Path) -> Result<Connection> {
    let path = path_for(db);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(&path, flags)
        .map_err(|e| Error::Database(format!("cannot open {}: {e}", path.display())))?;
    c.busy_timeout(Duration::from_secs(5))?;
    c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))?;
    c.execute_batch("PRAGMA synchronous=NORMAL;")?;
    c.execute_batch(SCHEMA)?;
    Ok(c)
}

/// Writes one session's row (insert or update).
pub fn beat(
    c: &Connection,
    id: &str,
    agent_id: i64,
    (activity, since, last_key_at): (Activity, i64, i64),
    now: i64,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sessions (id, agent_id, activity, since, last_key_at, heartbeat_at, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (id) DO UPDATE SET activity = ?3, since = ?4, last_key_at = ?5, heartbeat_at = ?6",
    )?
    .execute(params![id, agent_id, activity.code(), since, last_key_at, now])?;
    Ok(())
}

/// A session that ends cleanly leaves at once.
pub fn end(c: &Connection, id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Forgets sessions dead for a day (killed processes leave their row).
pub fn forget_old(c: &Connection, now: i64) -> Result<()> {
    c.prepare_cached("DELETE FROM sessions WHERE heartbeat_at < ?1")?
        .execute(params![now - FORGET_AFTER])?;
    Ok(())
}

pub fn list(c: &Connection) -> Result<Vec<Session>> {
    let mut st = c.prepare_cached(
        "SELECT id, agent_id, activity, since, last_key_at, heartbeat_at FROM sessions",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Session {
            id: r.get(0)?,
            agent_id: r.get(1)?,
            activity: Activity::parse(&r.get::<_, String>(2)?),
            since: r.get(3)?,
            last_key_at: r.get(4)?,
            heartbeat_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
