//! The layer that wires `store` and `search` together (so that `search`
//! stays pure and never imports `store`): the index a TUI process keeps: built on a background thread from the
//! customers table, page by page on two connections, one per core (each
//! page its own short read, so no snapshot is held for long and the queue
//! stays usable meanwhile; see [`load`]), then
//! kept current: whenever the poller reports a change, the customers whose
//! revision moved since the last one seen are read and applied. A customer
//! added or edited by another process is in the index within one poll
//! interval plus one small read.
//!
//! Before building, the snapshot beside the database (`search/snapshot.rs`) is
//! tried: if it is this database's and not ahead of it, the index is read
//! from it (a fraction of a second at 1M) and caught up from its revision;
//! otherwise it is rebuilt, with one log line saying why. After a build,
//! and then at most every [`SNAPSHOT_EVERY`] while changes are followed,
//! the snapshot is written again.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::search::snapshot::{self, Meta, Rejected};
use crate::search::{Chunk, CustomerKeys, Encoder, Index, Joiner};
use crate::store::Db;
use crate::store::customer_keys::{self, Change};

/// Customers read per page while building.
const PAGE: usize = 5_000;
/// Changes read per page while following.
const CHANGES_PAGE: usize = 2_000;
/// Progress is reported at most this often while building.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);
/// A followed index is written to its snapshot at most this often (and
/// only when it moved): bounded disk traffic, and a restart catches up at
/// most this much.
pub const SNAPSHOT_EVERY: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Building { loaded: usize, total: usize },
    Ready { customers: usize },
    Failed(String),
}

/// Builds an index from the database; `progress(loaded, total)` as pages
/// come in (from the calling thread). Returns the index and the revision
/// it is current from (changes since are not in it yet).
///
/// Both cores: the ids are cut into stretches of about a page each, and
/// two threads, each with its own connection, take the next stretch,
/// read it and derive its keys (pinyin and the rest) until none is left,
/// so a core slowed by other work just takes fewer stretches. Each
/// stretch is joined into the index as soon as those before it are
/// (`search::Joiner`), so the index is never held twice. Without a second
/// connection (an in-memory database), one thread reads and two encode.
pub fn load(
    db: &mut Db,
    stop: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Index, i64)> {
    let (total, rev, range) = db.read(|c| {
        Ok((
            customer_keys::count(c)?,
            customer_keys::revision(c)?,
            customer_keys::id_range(c)?,
        ))
    })?;
    let total = usize::try_from(total).unwrap_or(0);
    let Some((lo, hi)) = range else {
        return Ok((Index::new(), rev));
    };
    let Ok(mut other) = Db::open_another(db.path()) else {
        return load_paged(db, stop, progress, total).map(|idx| (idx, rev));
    };
    let started = Instant::now();
    let plan = Stretches::new(lo, hi, total);
    let loaded = AtomicUsize::new(0);
    let mut last = Instant::now();
    let mut report = |force: bool| {
        if force || last.elapsed() >= PROGRESS_TICK {
            last = Instant::now();
            let n = loaded.load(Ordering::Relaxed);
            progress(n, total.max(n));
        }
    };
    let joined = Mutex::new(Joined {
        joiner: Joiner::new(total),
        waiting: BTreeMap::new(),
        next: 0,
    });
    let (mine, theirs) = std::thread::scope(|sc| {
        let helper = sc.spawn(|| read_stretches(&mut other, &plan, stop, &loaded, &joined, || {}));
        let mine = read_stretches(db, &plan, stop, &loaded, &joined, || report(false));
        while !helper.is_finished() {
            std::thread::sleep(Duration::from_millis(20));
            report(false);
        }
        let theirs = match helper.join() {
            Ok(r) => r,
            Err(e) => std::panic::resume_unwind(e),
        };
        (mine, theirs)
    });
    report(true);
    let read = started.elapsed();
    mine?;
    theirs?;
    let idx = joined
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .finish();
    tracing::info!(
        "search index: {} customers built in {:.2} s ({:.2} s reading and deriving keys, then joining and sorting)",
        idx.len(),
        started.elapsed().as_secs_f64(),
        read.as_secs_f64()
    );
    Ok((idx, rev))
}

/// Stretches read but not yet joined (a stretch waits for those before
/// it: a thread may finish the next before the other finishes its own).
struct Joined {
    joiner: Joiner,
    waiting: BTreeMap<usize, Vec<Chunk>>,
    /// The stretch to join next.
    next: usize,
}

impl Joined {
    fn put(&mut self, k: usize, chunks: Vec<Chunk>) {
        self.waiting.insert(k, chunks);
        while let Some(chunks) = self.waiting.remove(&self.next) {
            chunks.into_iter().for_each(|c| self.joiner.push(c));
            self.next += 1;
        }
    }

    /// The index of every stretch read (when stopped, some may be
    /// missing: the others keep their order).
    fn finish(mut self) -> Index {
        for chunks in std::mem::take(&mut self.waiting).into_values() {
            chunks.into_iter().for_each(|c| self.joiner.push(c));
        }
        self.joiner.finish()
    }
}

/// Progress is handed on at most this often while building (the TUI
/// redraws at most every [`PROGRESS_EVERY`]).
const PROGRESS_TICK: Duration = Duration::from_millis(50);

/// The ids from `lo` to `hi` cut into stretches of about [`PAGE`]
/// customers each (evenly by id value), handed out in turn.
struct Stretches {
    lo: i128,
    hi: i128,
    width: i128,
    next: AtomicUsize,
}

impl Stretches {
    fn new(lo: i64, hi: i64, total: usize) -> Stretches {
        let n = total.div_ceil(PAGE).max(1) as i128;
        let span = i128::from(hi) - i128::from(lo) + 1;
        Stretches {
            lo: lo.into(),
            hi: hi.into(),
            width: ((span + n - 1) / n).max(1),
            next: AtomicUsize::new(0),
        }
    }

    /// The next stretch not taken: its number and first and last id.
    fn take(&self) -> Option<(usize, i64, i64)> {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        let from = self.lo + (k as i128).checked_mul(self.width)?;
        if from > self.hi {
            return None;
        }
        let last = (from + self.width - 1).min(self.hi);
        Some((k, i64::try_from(from).ok()?, i64::try_from(last).ok()?))
    }
}

/// One thread's part of [`load`]: takes stretches until none is left (or
/// `stop`), reads each page by page, encodes it and hands the stretch to
/// `joined`; `tick` after each page.
fn read_stretches(
    db: &mut Db,
    plan: &Stretches,
    stop: &AtomicBool,
    loaded: &AtomicUsize,
    joined: &Mutex<Joined>,
    mut tick: impl FnMut(),
) -> Result<()> {
    let mut enc = Encoder::new();
    while let Some((k, mut from, last)) = plan.take() {
        let mut chunks = Vec::new();
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            let page = db.read(|c| customer_keys::page_upto(c, from, last, PAGE))?;
            let Some(end) = page.last().map(|k| k.id) else {
                break;
            };
            loaded.fetch_add(page.len(), Ordering::Relaxed);
            chunks.push(enc.encode(&page));
            tick();
            if page.len() < PAGE || end >= last {
                break;
            }
            from = end + 1;
        }
        joined
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .put(k, chunks);
    }
    Ok(())
}

/// [`load`] on one connection: this thread reads page by page, two
/// threads encode.
fn load_paged(
    db: &mut Db,
    stop: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
    total: usize,
) -> Result<Index> {
    let mut from = Some(i64::MIN);
    let mut loaded = 0usize;
    let mut failed = None;
    let pages = std::iter::from_fn(|| {
        let first = from.filter(|_| !stop.load(Ordering::Relaxed))?;
        match db.read(|c| customer_keys::page_upto(c, first, i64::MAX, PAGE)) {
            Ok(p) if !p.is_empty() => {
                from = p.last().and_then(|k| k.id.checked_add(1));
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
        None => Ok(idx),
    }
}

/// What this database is and how far its customers have moved.
pub fn meta(db: &mut Db) -> Result<Meta> {
    db.read(|c| {
        let (app_id, db_id) = customer_keys::identity(c)?;
        Ok(Meta {
            app_id,
            db_id,
            rev: customer_keys::revision(c)?,
        })
    })
}

/// How [`open`] got its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Snapshot,
    /// Built from the database because the snapshot was not usable.
    Built(Rejected),
}

/// The index of the database: from its snapshot if usable, else built
/// (the caller then writes the snapshot with [`save`], once the index is
/// in use). `log` gets one line when the snapshot is ignored. Returns the index and the revision it is
/// current from: the caller follows the changes since (see [`follow`]).
pub fn open(
    db: &mut Db,
    stop: &AtomicBool,
    progress: impl FnMut(usize, usize),
    log: &mut dyn FnMut(String),
) -> Result<(Index, i64, Origin)> {
    let path = db.path().to_path_buf();
    let now = meta(db)?;
    let why = match snapshot::read(&path, &now) {
        Ok((idx, rev)) => return Ok((idx, rev, Origin::Snapshot)),
        Err(why) => why,
    };
    log(format!(
        "search index: snapshot {} not used: {why}; building it from the database",
        snapshot::path_for(&path).display()
    ));
    let (idx, rev) = load(db, stop, progress)?;
    Ok((idx, rev, Origin::Built(why)))
}

/// Writes the snapshot; a failure (read-only directory, full disk) costs
/// the next start a rebuild, nothing else, so it is logged and passed over.
pub fn save(db: &Path, idx: &Index, meta: Meta, log: &mut dyn FnMut(String)) {
    if let Err(e) = snapshot::write(db, idx, &meta) {
        log(format!(
            "search index: cannot write snapshot {}: {e}",
            snapshot::path_for(db).display()
        ));
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
    notes: Mutex<Vec<String>>,
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
            notes: Mutex::new(Vec::new()),
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

    fn note(&self, line: String) {
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }

    /// Log lines so far (a snapshot not used or not written); the TUI
    /// prints them once the terminal is restored.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn run(&self, path: &std::path::Path, notify: &dyn Fn()) -> Result<()> {
        // The TUI already has the file open: see `Db::open_another`.
        let mut db = Db::open_another(path)?;
        let mut last = Instant::now();
        let (idx, rev, origin) = open(
            &mut db,
            &self.stop,
            |loaded, total| {
                self.set_status(Status::Building { loaded, total });
                if last.elapsed() >= PROGRESS_EVERY {
                    last = Instant::now();
                    notify();
                }
            },
            &mut |line| self.note(line),
        )?;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = idx;
        if matches!(origin, Origin::Built(_)) && !self.stop.load(Ordering::Relaxed) {
            // Searchable first, written second.
            self.set_status(Status::Ready {
                customers: self.index().len(),
            });
            notify();
            let m = meta(&mut db)?;
            save(path, &self.index(), Meta { rev, ..m }, &mut |line| {
                self.note(line)
            });
        }
        let mut cur = Cursor::new(rev);
        let (mut saved_rev, mut saved_at) = (rev, Instant::now());
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
            let pending = cur.rev > saved_rev;
            if pending && saved_at.elapsed() >= SNAPSHOT_EVERY {
                // This thread is the only writer of the index: holding the
                // read lock while writing blocks no query.
                let m = meta(&mut db)?;
                save(
                    path,
                    &self.index(),
                    Meta { rev: cur.rev, ..m },
                    &mut |line| self.note(line),
                );
                (saved_rev, saved_at) = (cur.rev, Instant::now());
                continue;
            }
            // Sleep until the poller reports a change (or we are stopped,
            // or a pending snapshot falls due).
            let mut woken = self.wake.lock().unwrap_or_else(|e| e.into_inner());
            while !*woken && !self.stop.load(Ordering::Relaxed) {
                if pending {
                    let left = SNAPSHOT_EVERY.saturating_sub(saved_at.elapsed());
                    let (w, t) = self
                        .cv
                        .wait_timeout(woken, left)
                        .unwrap_or_else(|e| e.into_inner());
                    woken = w;
                    if t.timed_out() {
                        break;
                    }
                } else {
                    woken = self.cv.wait(woken).unwrap_or_else(|e| e.into_inner());
                }
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
