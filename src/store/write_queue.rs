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

use nix::fcntl::{Flock, FlockArg};

#[derive(Default)]
pub struct WriteQueue {
    file: Option<File>,
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
        WriteQueue { file }
    }

    /// Runs `f` holding this process's turn.
    pub fn run<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let Some(file) = self.file.take() else {
            return f();
        };
        match Flock::lock(file, FlockArg::LockExclusive) {
            Ok(turn) => {
                let out = f();
                self.file = match turn.unlock() {
                    Ok(file) => Some(file),
                    Err((turn, _)) => {
                        drop(turn); // unlocks on drop; go on without the queue
                        None
                    }
                };
                out
            }
            Err((file, _)) => {
                self.file = Some(file);
                f()
            }
        }
    }
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
}
