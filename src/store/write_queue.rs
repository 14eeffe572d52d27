//! Fair turns for writers. SQLite's busy handler polls with growing sleeps,
//! so under load a newcomer polling every millisecond beats a writer that
//! has waited long and now polls every 100 ms: with 200 agents on one file
//! some writes waited past the busy timeout and failed (issue 11's
//! concurrent-agents run: 234 of ~14,000). Every hotline write therefore
//! first takes an exclusive `flock` on `<db>-writers`: waiters sleep in the
//! kernel and are woken when the holder is done, so every waiter has the
//! same chance at each turn and no one starves. The lock is only a queue in
//! front of SQLite's own locking, which still decides; where it cannot be
//! had (no permission, a file system without flock) writes go straight to
//! SQLite as before. The kernel drops it when a process dies, even by
//! kill -9; a holder keeps it for one transaction only.
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use std::sync::mpsc;
use std::time::Duration;

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

pub struct WriteQueue {
    file: Option<File>,
    /// How long to wait for a turn ([`WAIT`]; shorter in tests).
    wait: Duration,
}

impl Default for WriteQueue {
    fn default() -> Self {
        WriteQueue {
            file: None,
            wait: WAIT,
        }
    }
}

/// The lock file next to the database.
pub fn path_of(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_os_string();
    s.push("-writers");
    PathBuf::from(s)
}

impl WriteQueue {
    /// Opens (creating if need be) the lock file; best effort.
    pub fn open(db: &Path) -> WriteQueue {
        let p = path_of(db);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&p)
            .or_else(|_| File::open(&p))
            .ok();
        WriteQueue { file, wait: WAIT }
    }

    /// Runs `f` holding this process's turn. A turn not had within
    /// [`WAIT`] (a stopped or hung holder) is given up and `f` goes to
    /// SQLite's own busy timeout as before, so a write is never stuck here.
    pub fn run<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let Some(file) = self.file.take() else {
            return f();
        };
        let turn = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(turn) => Some(turn),
            Err((file, Errno::EWOULDBLOCK)) => {
                let turn = wait_for_turn(&file, self.wait);
                self.file = Some(file);
                turn
            }
            Err((file, _)) => {
                self.file = Some(file);
                None
            }
        };
        let out = f();
        if let Some(turn) = turn {
            match turn.unlock() {
                // The waiting path locked a duplicate of our descriptor:
                // it is the same lock, and `self.file` already holds ours.
                Ok(file) if self.file.is_none() => self.file = Some(file),
                Ok(_) => {}
                Err((turn, _)) => drop(turn), // unlocks on drop
            }
        }
        out
    }
}

/// How long a writer waits for its turn before going on without it.
pub const WAIT: Duration = Duration::from_secs(15);

/// Blocks in the kernel for the lock on a duplicate of `file` (the same
/// open file description, so the same lock), on a helper thread, at most
/// [`WAIT`]. A turn that arrives after the caller gave up is dropped at
/// once by the helper (the send fails), which unlocks it.
fn wait_for_turn(file: &File, wait: Duration) -> Option<Flock<File>> {
    let dup = file.try_clone().ok()?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("hotline-write-turn".into())
        .spawn(move || {
            let _ = tx.send(Flock::lock(dup, FlockArg::LockExclusive).ok());
        })
        .ok()?;
    rx.recv_timeout(wait).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn turns_exclude_each_other_across_open_files() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("h.db");
        let inside = Arc::new(AtomicBool::new(false));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (db, inside) = (db.clone(), inside.clone());
                std::thread::spawn(move || {
                    let mut q = WriteQueue::open(&db);
                    for _ in 0..50 {
                        q.run(|| {
                            assert!(!inside.swap(true, Ordering::SeqCst), "two writers at once");
                            std::thread::yield_now();
                            inside.store(false, Ordering::SeqCst);
                        });
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert!(path_of(&db).exists());
    }

    #[test]
    fn a_stuck_holder_delays_a_write_but_never_blocks_it() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("h.db");
        let mut stuck = WriteQueue::open(&db);
        let held = Flock::lock(stuck.file.take().unwrap(), FlockArg::LockExclusive).unwrap();
        let mut q = WriteQueue::open(&db);
        q.wait = Duration::from_millis(200);
        let t = std::time::Instant::now();
        assert_eq!(q.run(|| 7), 7);
        assert!(
            t.elapsed() >= Duration::from_millis(200),
            "it waited its turn first"
        );
        drop(held);
        // Free again: the turn is had at once.
        let t = std::time::Instant::now();
        q.run(|| ());
        assert!(t.elapsed() < Duration::from_millis(200));
    }
}
