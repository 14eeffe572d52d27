//! SQLite's own words for a failing disk are "disk I/O error" or "database
//! or disk is full", with no file and no way out. Errors of a transaction
//! pass through [`explain`], which says which file and what to do.
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use crate::error::Error;

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// The SQLite error code under `e`, if it is one.
fn code(e: &Error) -> Option<(ErrorCode, i32)> {
    match e {
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => Some((f.code, f.extended_code)),
        _ => None,
    }
}

/// `e` with the file named and a next step, for a full disk, an I/O error
/// (with a word on a missing `-wal`/`-shm`) and a read-only file; other
/// errors unchanged.
pub fn explain(e: Error, path: &Path) -> Error {
    let Some((code, ext)) = code(&e) else {
        return e;
    };
    let p = path.display();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .display();
    match code {
        ErrorCode::DiskFull => Error::Database(format!(
            "{p}: the disk (or the database's size limit) is full; nothing of this change was \
             stored. Free space where {dir} is (the -wal file grows there too) and try again"
        )),
        ErrorCode::SystemIoFailure => {
            let missing: Vec<String> = ["-wal", "-shm"]
                .iter()
                .map(|s| side(path, s))
                .filter(|f| !f.exists())
                .map(|f| f.display().to_string())
                .collect();
            let hint = if missing.is_empty() {
                format!(
                    "check the disk holding {dir} (full, failing, or a network share that dropped)"
                )
            } else {
                format!(
                    "{} is missing (deleted while hotline ran?): stop every hotline process on \
                     this database, then run `hotline check --db {p}`",
                    missing.join(" and ")
                )
            };
            Error::Database(format!(
                "{p}: disk I/O error (SQLite extended code {ext}); nothing of this change was \
                 stored. {hint}"
            ))
        }
        ErrorCode::ReadOnly => Error::Database(format!(
            "{p}: the database became read-only for this process (extended code {ext}): its \
             file, its -wal/-shm or {dir} lost write permission; nothing was stored. Restore \
             write access (ls -l {dir}) and try again"
        )),
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Db, OpenMode};

    fn sqlite(code: i32) -> Error {
        Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    #[test]
    fn a_full_database_says_which_file_and_what_to_do() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("h.db");
        let mut db = Db::open(&path, OpenMode::Create).unwrap();
        // A real SQLITE_FULL: cap the file at the pages it has.
        let pages: i64 = db
            .conn()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        db.conn()
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
            .unwrap();
        let e = db
            .write(|tx| {
                for i in 0..2000 {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                        rusqlite::params![format!("k{i}"), "x".repeat(500)],
                    )?;
                }
                Ok(())
            })
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("h.db") && e.contains("is full") && e.contains("Free space"),
            "{e}"
        );
    }

    #[test]
    fn an_io_error_names_a_missing_wal() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("h.db");
        std::fs::write(&path, b"").unwrap();
        let e = explain(sqlite(rusqlite::ffi::SQLITE_IOERR), &path).to_string();
        assert!(
            e.contains("disk I/O error") && e.contains("h.db-wal"),
            "{e}"
        );
        assert!(e.contains("hotline check"), "{e}");
        std::fs::write(side(&path, "-wal"), b"").unwrap();
        std::fs::write(side(&path, "-shm"), b"").unwrap();
        let e = explain(sqlite(rusqlite::ffi::SQLITE_IOERR), &path).to_string();
        assert!(e.contains("check the disk"), "{e}");
        let other = explain(sqlite(rusqlite::ffi::SQLITE_CONSTRAINT), &path);
        assert!(matches!(other, Error::Sqlite(_)));
    }
}
