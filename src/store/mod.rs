//! The only place with SQL. One `Db` wraps one connection with the pragmas
//! every hotline connection uses; `Store` runs a `Db` on its own writer
//! thread fed over a channel; `poller` watches `PRAGMA data_version` for
//! changes made by other processes.
//!
//! Every write transaction is `BEGIN IMMEDIATE` (see [`Db::write`]), so a
//! writer takes the lock before reading what it will change, and bound
//! parameters are the only way values reach SQL.
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

pub mod agent_keys;
pub mod agents;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod callbacks;
pub mod calls;
pub mod complaints;
pub mod contacts;
pub mod customer_keys;
pub mod customers;
pub mod drafts;
pub mod init;
mod io_error;
pub mod major;
pub mod poller;
pub mod presence;
pub mod queue;
pub mod report;
pub mod schema;
pub mod scripts;
pub mod settings;
pub mod stats;
mod text_col;
pub mod wallboard;
mod write_queue;
mod writer;

pub use text_col::{opt_text_col, take_notes, text_col};
pub use writer::Store;

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The database must exist and be a hotline database (migrated if older).
    Existing,
    /// `hotline init`: create it, or migrate an existing hotline database.
    Create,
}

pub struct Db {
    conn: Connection,
    path: PathBuf,
    settings: settings::Cache,
    /// Fair turns among hotline writers (see `write_queue`).
    queue: write_queue::WriteQueue,
    /// The open complaints every session's queue starts from.
    queue_cache: queue::Cache,
}

impl Db {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Db> {
        check_path(path, mode)?;
        Db::open_unchecked(path, mode)
    }

    /// Opens one more connection to a database this process already has
    /// open (e.g. the search index's reader next to the TUI's writer); the
    /// path was checked when the first one opened. Nothing here may open
    /// and close the file with `std::fs`: closing any descriptor of a file
    /// releases every POSIX lock the process holds on it, and without the
    /// SHARED locks of this process's connections another process's last
    /// close would delete the shared-memory file under them.
    pub fn open_another(path: &Path) -> Result<Db> {
        Db::open_unchecked(path, OpenMode::Existing)
    }

    fn open_unchecked(path: &Path, mode: OpenMode) -> Result<Db> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        if mode == OpenMode::Create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::Database(format!("cannot open {}: {}", path.display(), e)))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
            settings: settings::Cache::default(),
            queue: write_queue::WriteQueue::default(),
            queue_cache: queue::Cache::default(),
        };
        db.identify(mode)?;
        // Only once the file is known to be ours: nothing is created next
        // to someone else's file.
        db.queue = write_queue::WriteQueue::open(path);
        db.configure()?;
        db.migrate()?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the header before changing anything, so that a file that is not
    /// a hotline database is left exactly as it was.
    fn identify(&self, mode: OpenMode) -> Result<()> {
        let p = self.path.display();
        let app: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => {
                    Error::Database(format!("{p} is not a SQLite database; nothing was changed"))
                }
                _ => Error::Database(format!("cannot read {p}: {e}")),
            })?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if app == schema::APPLICATION_ID {
            if version > schema::latest_version() {
                return Err(Error::Database(format!(
                    "{p} has schema version {version}, newer than this hotline knows ({}); \
                     upgrade hotline to use it",
                    schema::latest_version()
                )));
            }
            return Ok(());
        }
        if tables == 0 && app == 0 {
            return match mode {
                OpenMode::Create => Ok(()),
                OpenMode::Existing => Err(Error::Database(format!(
                    "{p} is an empty database; create it with `hotline init --db {p}`"
                ))),
            };
        }
        Err(Error::Database(format!(
            "{p} is a SQLite database but not a hotline database; nothing was changed"
        )))
    }

    fn configure(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Database(format!(
                "{}: cannot switch to WAL journal (got {mode})",
                self.path.display()
            )));
        }
        self.conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let current: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current >= schema::latest_version() {
            return Ok(());
        }
        self.write(|tx| {
            // Re-read under the write lock: another process may have migrated.
            let v: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, sql) in schema::MIGRATIONS
                .iter()
                .enumerate()
                .skip(v.max(0) as usize)
            {
                tx.execute_batch(sql)?;
                // PRAGMA takes no bound parameters; the value is our own integer.
                tx.execute_batch(&format!("PRAGMA user_version={}", i + 1))?;
            }
            tx.execute_batch(&format!("PRAGMA application_id={}", schema::APPLICATION_ID))?;
            Ok(())
        })
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction and commits it; any error
    /// rolls everything back, so nothing is ever stored half (R1).
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.immediate(f, true)
    }

    /// `f` in a `BEGIN IMMEDIATE` transaction, committed or rolled back.
    fn immediate<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
        commit: bool,
    ) -> Result<T> {
        let (conn, queue) = (&mut self.conn, &mut self.queue);
        let r = queue.run(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            if commit {
                tx.commit()?;
            } else {
                tx.rollback()?;
            }
            Ok(out)
        });
        r.map_err(|e| io_error::explain(e, &self.path))
    }

    /// Like [`Db::write`], with the settings in force passed along (read from
    /// the cache unless another process changed them).
    pub fn write_with_settings<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &crate::domain::settings::Settings) -> Result<T>,
    ) -> Result<T> {
        let (conn, queue, cache) = (&mut self.conn, &mut self.queue, &mut self.settings);
        let r = queue.run(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let s = cache.get(&tx)?;
            let out = f(&tx, &s)?;
            tx.commit()?;
            Ok(out)
        });
        r.map_err(|e| io_error::explain(e, &self.path))
    }

    /// Like [`Db::read`], with the settings in force passed along.
    pub fn read_with_settings<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &crate::domain::settings::Settings) -> Result<T>,
    ) -> Result<T> {
        let r = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?;
            let s = self.settings.get(&tx)?;
            let out = f(&tx, &s)?;
            tx.finish()?;
            Ok(out)
        })();
        r.map_err(|e| io_error::explain(e, &self.path))
    }

    /// Like [`Db::write`], but always rolls back: what a change would do,
    /// without doing it (dry runs).
    pub fn rehearse<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.immediate(f, false)
    }

    /// Runs `f` in a read transaction, so it sees one consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let r = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })();
        r.map_err(|e| io_error::explain(e, &self.path))
    }

    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Direct access for the demo seeder's bulk load and for tests.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// Refuses paths that cannot hold a database, with a message a user can act
/// on, before SQLite gets to create anything. It reads metadata only and
/// never opens the file (see [`Db::open_another`] for why).
fn check_path(path: &Path, mode: OpenMode) -> Result<()> {
    let p = path.display();
    if path.is_dir() {
        return Err(Error::Database(format!(
            "{p} is a directory, not a database file"
        )));
    }
    if path.exists() {
        // Never open the file here: closing any descriptor of a database
        // drops every POSIX lock this process holds on it (SQLite's locks
        // included). Metadata is enough; SQLite reports anything else.
        let md = std::fs::metadata(path)
            .map_err(|e| Error::Database(format!("cannot open {p}: {e}")))?;
        if md.permissions().readonly() {
            return Err(Error::Database(format!("{p} is read-only")));
        }
        return check_writable(path);
    }
    match mode {
        OpenMode::Existing => Err(Error::Database(format!(
            "no database at {p}; create one with `hotline init --db {p}`"
        ))),
        OpenMode::Create => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            if let Some(dir) = dir {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::Database(format!("cannot create directory {}: {e}", dir.display()))
                })?;
                let md = std::fs::metadata(dir)?;
                if md.permissions().readonly() {
                    return Err(Error::Database(format!(
                        "{} is not writable",
                        dir.display()
                    )));
                }
            }
            Ok(())
        }
    }
}

/// Refuses, before SQLite creates anything, a database this account could
/// only read: SQLite would open it read-only and still create `-wal` and
/// `-shm` owned by this account, which then lock the owner out ("attempt
/// to write a readonly database"). The file, its directory (where SQLite
/// makes `-wal`/`-shm`) and any existing `-wal`/`-shm` must be writable.
/// `access(2)` asks for the real uid, and opens nothing.
fn check_writable(path: &Path) -> Result<()> {
    use nix::unistd::{AccessFlags, access};
    let me = &crate::identity::os_user().login;
    let writable = |p: &Path| access(p, AccessFlags::W_OK).is_ok();
    if !writable(path) {
        return Err(Error::Database(format!(
            "{} is not writable by {me}; nothing was changed. hotline needs to write the \
             database even to read it (WAL): ask its owner for write access (e.g. a shared group)",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !writable(dir) {
        return Err(Error::Database(format!(
            "{} (the database's directory) is not writable by {me}; SQLite keeps its -wal and \
             -shm files there. Nothing was changed",
            dir.display()
        )));
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_os_string();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() && !writable(&side) {
            return Err(Error::Database(format!(
                "{} is not writable by {me} (another account's process left it); nothing was \
                 changed. When no hotline process runs, its owner may remove it, or give {me} \
                 write access",
                side.display()
            )));
        }
    }
    Ok(())
}

/// Turns an optional row into `NotFound` with a description of what was
/// looked for.
pub(crate) fn found<T>(r: rusqlite::Result<T>, what: impl FnOnce() -> String) -> Result<T> {
    match r {
        Ok(v) => Ok(v),
        Err(rusqlite::Error::QueryReturnedNoRows) => Err(Error::NotFound(what())),
        Err(e) => Err(e.into()),
    }
}
