//! Notices commits made by any other connection (other processes, or this
//! process's writer thread) by polling `PRAGMA data_version` on a connection
//! of its own (R8). Cheap enough to run every 250 ms in every agent process.
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::Result;

pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(250);

/// Stops the poller thread when dropped.
pub struct Poller {
    stop: Arc<AtomicBool>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Calls `on_change` from a background thread after every poll that finds
/// the database changed. If `on_change` returns false the poller stops.
pub fn spawn(
    path: &Path,
    interval: Duration,
    mut on_change: impl FnMut() -> bool + Send + 'static,
) -> Result<Poller> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let version = |c: &Connection| c.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0));
    let mut last = version(&conn)?;
    thread::Builder::new()
        .name("hotline-poller".into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                thread::sleep(interval);
                // A transient error (e.g. a checkpoint holding a lock) is
                // retried on the next tick rather than ending live updates.
                if let Ok(v) = version(&conn)
                    && v != last
                {
                    last = v;
                    if !on_change() {
                        break;
                    }
                }
            }
        })?;
    Ok(Poller { stop })
}
