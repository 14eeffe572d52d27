//! A consistent copy of a live database (`hotline backup`).
//!
//! `VACUUM INTO` copies one read snapshot: writers in other sessions and
//! processes go on (WAL readers do not block writers), and the copy holds
//! exactly what was committed when it began — compact, with no `-wal` of
//! its own. The copy is written beside its final name and renamed only
//! after it is on disk and passed `integrity_check`.
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// What the copy holds, read back from the copy itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub complaints: i64,
    pub customers: i64,
    pub schema_version: i64,
}

/// Copies the database behind `c` into `tmp` (which must not exist), then
/// checks the copy. `tmp` is the caller's temp name; renaming is theirs.
pub fn vacuum_into(c: &Connection, tmp: &Path) -> Result<Copied> {
    let target = tmp
        .to_str()
        .ok_or_else(|| Error::invalid("--out", "the path is not valid UTF-8"))?;
    c.execute("VACUUM INTO ?1", [target])?;
    check_copy(tmp)
}

/// Opens a copy read-only and proves it whole: `integrity_check` must say
/// `ok`, and it must be a hotline database.
pub fn check_copy(path: &Path) -> Result<Copied> {
    let copy = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(Error::Database(format!(
            "the copy failed its integrity check: {verdict}"
        )));
    }
    let app: i64 = copy.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app != super::schema::APPLICATION_ID {
        return Err(Error::Database("the copy is not a hotline database".into()));
    }
    Ok(Copied {
        complaints: copy.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?,
        customers: copy.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?,
        schema_version: copy.query_row("PRAGMA user_version", [], |r| r.get(0))?,
    })
}
