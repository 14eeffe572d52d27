//! The index a TUI process keeps: built on a background thread from the
//! customers table, page by page (each page its own short read, so no
//! snapshot is held for long and the queue stays usable meanwhile), then
//! kept current: whenever the poller reports a change, the customers whose
//! revision moved since the last one seen are read and applied. A customer
//! added or edited by another process is in the index within one poll
//! interval plus one small read.
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use super::{CustomerKeys, Index};
use crate::error::Result;
use crate::store::Db;
use crate::store::customer_keys::{self, Change};

/// Customers read per page while building.
const PAGE: usize = 5_000;
/// Changes read per page while following.
const CHANGES_PAGE: usize = 2_000;
/// Progress is reported at most this often while building.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Building { loaded: usize, total: usize },
    Ready { customers: usize },
    Failed(String),
}

/// Builds an index from the database, page by page; `progress(loaded,
/// total)` after each page. Returns the index and the revision it is
/// current from (changes since are not in it yet).
pub fn load(
    db: &mut Db,
    stop: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Index, i64)> {
    let (total, rev) = db.read(|c| Ok((customer_keys::count(c)?, customer_keys::revision(c)?)))?;
    let total = usize::try_from(total).unwrap_or(0);
    let mut after = 0i64;
    let mut loaded = 0usize;
    let mut failed = None;
    let pages = std::iter::from_fn(|| {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        match db.read(|c| customer_keys::page(c, after, PAGE)) {
            Ok(p) if !p.is_empty() => {
                after = p.last().map_or(after, |k| k.id);
                loaded += p.len();
                progress(loaded, total.max(loaded));
                Some(p)
            }
            Ok(_) => None,
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    let idx = Index::build_paged(pages);
    match failed {
        Some(e) => Err(e),
        None => Ok((idx, rev)),
    }
}

/// Where following left off: the last revision applied and the customer
/// read at it (which `changes` returns again, see `customer_keys`).
#[derive(Debug, Default)]
pub struct Cursor {
    pub rev: i64,
    at_rev: Option<(i64, CustomerKeys)>,
}

impl Cursor {
    pub fn new(rev: i64) -> Cursor {
        Cursor { rev, at_rev: None }
    }
}

/// Reads the changes since `cur` and applies them (taking the write lock
/// only while applying a page). Returns how many customers changed.
pub fn follow(db: &mut Db, index: &RwLock<Index>, cur: &mut Cursor) -> Result<usize> {
    let mut applied = 0;
    loop {
        let rev = cur.rev;
        let page = db.read(|c| customer_keys::changes(c, rev, CHANGES_PAGE))?;
        let full = page.len() >= CHANGES_PAGE;
        let fresh: Vec<(i64, Change)> = page
            .into_iter()
            .filter(|(r, ch)| match (ch, &cur.at_rev) {
                (Change::Upsert(k), Some((pr, pk))) => !(r == pr && **k == *pk),
                _ => true,
            })
            .collect();
        if let Some((r, _)) = fresh.last() {
            cur.rev = cur.rev.max(*r);
        }
        if !fresh.is_empty() {
            let mut idx = index.write().unwrap_or_else(|e| e.into_inner());
            for (r, ch) in &fresh {
                match ch {
                    Change::Upsert(k) => {
                        idx.upsert((**k).clone());
                        if *r == cur.rev {
                            cur.at_rev = Some((*r, (**k).clone()));
                        }
                    }
                    Change::Removed(id) => idx.remove(*id),
                }
            }
            applied += fresh.len();
        }
        if !full || fresh.is_empty() {
            return Ok(applied);
        }
    }
}

/// The index of one TUI process and the thread that keeps it.
pub struct Live {
    index: RwLock<Index>,
    status: Mutex<Status>,
    wake: Mutex<bool>,
    cv: Condvar,
    stop: AtomicBool,
}

impl Live {
    /// Starts building the index of the database at `path` on a thread of
    /// its own; `notify` is called (from that thread) when the status or
    /// the index changed.
    pub fn spawn(path: PathBuf, notify: impl Fn() + Send + 'static) -> Arc<Live> {
        let live = Arc::new(Live {
            index: RwLock::new(Index::new()),
            status: Mutex::new(Status::Building {
                loaded: 0,
                total: 0,
            }),
            wake: Mutex::new(false),
            cv: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let me = live.clone();
        let spawned = std::thread::Builder::new()
            .name("hotline-search-index".into())
            .spawn(move || {
                if let Err(e) = me.run(&path, &notify) {
                    me.set_status(Status::Failed(e.to_string()));
                    notify();
                }
            });
        if let Err(e) = spawned {
            live.set_status(Status::Failed(e.to_string()));
        }
        live
    }

    fn set_status(&self, s: Status) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = s;
    }

    fn run(&self, path: &std::path::Path, notify: &dyn Fn()) -> Result<()> {
        // The TUI already has the file open: see `Db::open_another`.
        let mut db = Db::open_another(path)?;
        let mut last = Instant::now();
        let (idx, rev) = load(&mut db, &self.stop, |loaded, total| {
            self.set_status(Status::Building { loaded, total });
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                notify();
            }
        })?;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = idx;
        let mut cur = Cursor::new(rev);
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            let applied = follow(&mut db, &self.index, &mut cur)?;
            let customers = self.index().len();
            let was = self.status();
            self.set_status(Status::Ready { customers });
            if applied > 0 || !matches!(was, Status::Ready { .. }) {
                notify();
            }
            // Sleep until the poller reports a change (or we are stopped).
            let mut woken = self.wake.lock().unwrap_or_else(|e| e.into_inner());
            while !*woken && !self.stop.load(Ordering::Relaxed) {
                woken = self.cv.wait(woken).unwrap_or_else(|e| e.into_inner());
            }
            *woken = false;
        }
    }

    /// The database changed (the poller says): read what changed.
    pub fn changed(&self) {
        *self.wake.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.cv.notify_all();
    }

    /// Ends the thread (at its next page or wake-up). The thread holds the
    /// `Live` too, so dropping the caller's handle does not stop it.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.changed();
    }

    pub fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The index for a query (blocks only while a page of changes is
    /// applied; empty until the build is done).
    pub fn index(&self) -> RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }
}
