//! Storage: one contiguous byte arena per field group with per-slot
//! offsets, per-slot arrays, and the [`Index`] that owns them.
//!
//! Slots are append-only. `upsert` kills the old slot and appends a new one
//! (microseconds); dead bytes are reclaimed by [`Index::compact`], which runs
//! automatically once a quarter of the slots are dead (a plain copy of the
//! live records, no pinyin recomputation; not timed at 1M yet).

use std::sync::atomic::{AtomicU64, Ordering};

use super::CustomerKeys;
use super::idmap::ById;
use super::keys::{ARENAS, NAMES, NameCache, ORIG, PINYIN, PLATES, Parts, encode, encode_cached};
use super::query::Session;
use super::sorted::Sorted;

pub(crate) const F_ALIVE: u8 = 1;
pub(crate) const F_CONFIDENTIAL: u8 = 2;
pub(crate) const F_CLASS_A: u8 = 4;

static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// Record boundaries of one arena: a `u32` base every `BLOCK` boundaries
/// and a `u16` from that base for each boundary, 2 bytes per record
/// instead of 4. A block spans at most `BLOCK - 1` records of at most
/// [`MAX_RECORD`] bytes each (`keys::encode` keeps records that short), so
/// the `u16` cannot overflow.
#[derive(Debug, Clone)]
pub(crate) struct Offsets {
    pub(crate) base: Vec<u32>,
    pub(crate) rel: Vec<u16>,
}

const BLOCK_SHIFT: usize = 5;
const BLOCK: usize = 1 << BLOCK_SHIFT;
/// Longest record of one arena (bytes): `(BLOCK - 1) * MAX_RECORD` fits in u16.
pub(crate) const MAX_RECORD: usize = 2047;

impl Default for Offsets {
    fn default() -> Self {
        Offsets {
            base: vec![0],
            rel: vec![0],
        }
    }
}

impl Offsets {
    /// Byte offset of boundary `i` (the start of record `i`).
    #[inline]
    pub(crate) fn at(&self, i: usize) -> usize {
        self.base[i >> BLOCK_SHIFT] as usize + self.rel[i] as usize
    }

    /// Number of boundaries (records + 1).
    pub(crate) fn len(&self) -> usize {
        self.rel.len()
    }

    /// Whether a record ending at byte `end` can be appended.
    fn fits(&self, end: usize) -> bool {
        let i = self.rel.len();
        if i & (BLOCK - 1) == 0 {
            u32::try_from(end).is_ok()
        } else {
            self.base
                .last()
                .is_some_and(|&b| end >= b as usize && end - b as usize <= u16::MAX as usize)
        }
    }

    /// Appends the boundary `end`; false (and nothing changed) if it does
    /// not fit.
    fn push(&mut self, end: usize) -> bool {
        if !self.fits(end) {
            return false;
        }
        if self.rel.len() & (BLOCK - 1) == 0 {
            reserve_for(&mut self.base, 1);
            self.base.push(end as u32);
            reserve_for(&mut self.rel, 1);
            self.rel.push(0);
        } else {
            let b = self.base.last().map_or(0, |&b| b as usize);
            reserve_for(&mut self.rel, 1);
            self.rel.push((end - b) as u16);
        }
        true
    }

    fn reserve_exact(&mut self, add: usize) {
        self.rel.reserve_exact(add);
        self.base.reserve_exact(add / BLOCK + 1);
    }

    fn shrink_to_fit(&mut self) {
        self.base.shrink_to_fit();
        self.rel.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        4 * self.base.capacity() + 2 * self.rel.capacity()
    }

    /// Checks a loaded table against its arena: every boundary in order,
    /// the first 0, the last the arena's length, one base per block.
    pub(crate) fn valid(&self, bytes: usize) -> bool {
        let n = self.rel.len();
        if n == 0 || self.base.len() != (n - 1) / BLOCK + 1 || self.at(0) != 0 {
            return false;
        }
        let mut prev = 0usize;
        for i in 0..n {
            if i & (BLOCK - 1) == 0 && self.rel[i] != 0 {
                return false;
            }
            let o = self.at(i);
            if o < prev {
                return false;
            }
            prev = o;
        }
        prev == bytes
    }
}

/// Bytes of all records of one field group; slot `s` owns
/// `bytes[off.at(s)..off.at(s + 1)]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arena {
    pub bytes: Vec<u8>,
    pub off: Offsets,
}

impl Arena {
    #[inline]
    pub(crate) fn rec(&self, s: usize) -> &[u8] {
        &self.bytes[self.off.at(s)..self.off.at(s + 1)]
    }
}

/// Encodes every page received, one store per page.
fn encode_pages(rx: std::sync::mpsc::Receiver<Vec<CustomerKeys>>) -> Vec<Store> {
    let mut out = Vec::new();
    let mut parts: Parts = Default::default();
    let mut cache = Some(NameCache::default());
    for page in rx {
        let mut st = Store::default();
        for c in &page {
            encode_cached(c, &mut parts, &mut cache);
            // A chunk cannot pass 4 GiB unless the whole index would.
            let _ = st.push(c, &parts);
        }
        st.shrink();
        out.push(st);
    }
    out
}

/// Struct-of-arrays storage of all slots.
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    pub arenas: [Arena; ARENAS],
    pub ids: Vec<i64>,
    /// Unix seconds as u32 (half the memory of i64; good until 2106).
    pub last_contact: Vec<u32>,
    pub flags: Vec<u8>,
    /// Letters and digits of the keys the fuzzy pass reads, one bit each
    /// (see [`letter_mask`]), as (names and pinyin, plates): a fuzzy match
    /// lies inside one key, so where a mask lacks a bit of the term's, the
    /// pass skips those keys. Plates apart, because their random letters
    /// would otherwise let most records through.
    pub masks: Vec<(u32, u32)>,
}

/// Bit of an ASCII letter or digit in a letter mask (digits share six bits).
#[inline]
fn mask_bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + (b - b'0') % 6),
        _ => 0,
    }
}

/// Letter mask of some bytes (other bytes add nothing).
pub(crate) fn letter_mask(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |m, &b| m | mask_bit(b))
}

/// Letter masks of the arenas the fuzzy pass reads: (names and pinyin,
/// plates).
fn record_mask(parts: &Parts) -> (u32, u32) {
    (
        letter_mask(&parts[NAMES]) | letter_mask(&parts[PINYIN]),
        letter_mask(&parts[PLATES]),
    )
}

/// Reserves in steps of 1/8 of the current length, so that the first upsert
/// after a build does not double an arena.
fn reserve_for<T>(v: &mut Vec<T>, add: usize) {
    if v.capacity() - v.len() < add {
        v.reserve_exact(add.max(v.len() / 8).max(64));
    }
}

/// Last contact as stored: negative times count as never, later than 2106
/// as 2106.
fn contact_secs(t: i64) -> u32 {
    u32::try_from(t.max(0)).unwrap_or(u32::MAX)
}

fn flags_of(c: &CustomerKeys) -> u8 {
    let mut f = F_ALIVE;
    if c.confidential {
        f |= F_CONFIDENTIAL;
    }
    if c.class.eq_ignore_ascii_case(&'A') {
        f |= F_CLASS_A;
    }
    f
}

impl Store {
    pub(crate) fn slots(&self) -> usize {
        self.ids.len()
    }

    /// Original name of slot `s`.
    pub(crate) fn name(&self, s: usize) -> String {
        let orig = self.arenas[ORIG].rec(s);
        if !orig.is_empty() {
            return String::from_utf8_lossy(orig).into_owned();
        }
        // Same as the folded key: strip the tag (and hidden bytes, which
        // only Latin names have, and those always differ from their key).
        let rec = self.arenas[NAMES].rec(s);
        let key: Vec<u8> = rec
            .iter()
            .copied()
            .filter(|&b| b >= super::keys::MATCH_MIN)
            .collect();
        String::from_utf8_lossy(&key).into_owned()
    }

    /// Appends one encoded record; `None` if an arena would pass 4 GiB.
    fn push(&mut self, c: &CustomerKeys, parts: &Parts) -> Option<u32> {
        let slot = u32::try_from(self.ids.len()).ok()?;
        for (a, p) in self.arenas.iter().zip(parts) {
            if !a.off.fits(a.bytes.len() + p.len()) {
                return None;
            }
        }
        for (a, p) in self.arenas.iter_mut().zip(parts) {
            reserve_for(&mut a.bytes, p.len());
            a.bytes.extend_from_slice(p);
            a.off.push(a.bytes.len());
        }
        reserve_for(&mut self.ids, 1);
        self.ids.push(c.id);
        reserve_for(&mut self.last_contact, 1);
        self.last_contact.push(contact_secs(c.last_contact));
        reserve_for(&mut self.flags, 1);
        self.flags.push(flags_of(c));
        reserve_for(&mut self.masks, 1);
        self.masks.push(record_mask(parts));
        Some(slot)
    }

    /// Appends the (live) slots of `other`. False if an arena would pass 4 GiB.
    fn append(&mut self, other: &Store, live_only: bool) -> bool {
        for s in 0..other.slots() {
            if live_only && other.flags[s] & F_ALIVE == 0 {
                continue;
            }
            for (a, b) in self.arenas.iter().zip(&other.arenas) {
                if !a.off.fits(a.bytes.len() + b.rec(s).len()) {
                    return false;
                }
            }
            for (a, b) in self.arenas.iter_mut().zip(&other.arenas) {
                a.bytes.extend_from_slice(b.rec(s));
                a.off.push(a.bytes.len());
            }
            self.ids.push(other.ids[s]);
            self.last_contact.push(other.last_contact[s]);
            self.flags.push(other.flags[s]);
            self.masks.push(other.masks[s]);
        }
        true
    }

    /// Reserves exactly for appending `other` (live slots only if asked).
    fn reserve_like(&mut self, other: &Store, live_only: bool) {
        let live: Vec<usize> = (0..other.slots())
            .filter(|&s| !live_only || other.flags[s] & F_ALIVE != 0)
            .collect();
        for (a, b) in self.arenas.iter_mut().zip(&other.arenas) {
            let bytes: usize = live.iter().map(|&s| b.rec(s).len()).sum();
            a.bytes.reserve_exact(bytes);
            a.off.reserve_exact(live.len());
        }
        self.ids.reserve_exact(live.len());
        self.last_contact.reserve_exact(live.len());
        self.flags.reserve_exact(live.len());
        self.masks.reserve_exact(live.len());
    }

    fn shrink(&mut self) {
        for a in &mut self.arenas {
            a.bytes.shrink_to_fit();
            a.off.shrink_to_fit();
        }
        self.ids.shrink_to_fit();
        self.last_contact.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.masks.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.arenas
            .iter()
            .map(|a| a.bytes.capacity() + a.off.heap_bytes())
            .sum::<usize>()
            + 8 * self.ids.capacity()
            + 4 * self.last_contact.capacity()
            + self.flags.capacity()
            + 8 * self.masks.capacity()
    }
}

/// The search index. `Send + Sync`; queries take `&self`, so it can sit
/// behind an `RwLock` shared with a writer that applies `upsert`s.
#[derive(Debug)]
pub struct Index {
    pub(crate) store: Store,
    pub(crate) sorted: Sorted,
    by_id: ById,
    dead: usize,
    pub(crate) instance: u64,
    pub(crate) generation: u64,
}

impl Default for Index {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for Index {
    fn clone(&self) -> Self {
        Index {
            store: self.store.clone(),
            sorted: self.sorted.clone(),
            by_id: self.by_id.clone(),
            dead: self.dead,
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            generation: 0,
        }
    }
}

impl Index {
    pub fn new() -> Self {
        Index {
            store: Store::default(),
            sorted: Sorted::default(),
            by_id: ById::default(),
            dead: 0,
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            generation: 0,
        }
    }

    /// Builds an index; a later duplicate of an id replaces the earlier one.
    /// Key derivation (pinyin) is split over two threads for large inputs.
    pub fn build(items: impl IntoIterator<Item = CustomerKeys>) -> Self {
        let items: Vec<CustomerKeys> = items.into_iter().collect();
        let encode_part = |part: &[CustomerKeys]| {
            let mut st = Store::default();
            let mut parts: Parts = Default::default();
            let mut cache = Some(NameCache::default());
            for c in part {
                encode_cached(c, &mut parts, &mut cache);
                // A chunk cannot pass 4 GiB unless the whole index would.
                let _ = st.push(c, &parts);
            }
            st
        };
        let chunks: Vec<Store> = if items.len() >= 20_000 {
            let (a, b) = items.split_at(items.len() / 2);
            std::thread::scope(|sc| {
                let h = sc.spawn(|| encode_part(b));
                let first = encode_part(a);
                match h.join() {
                    Ok(second) => vec![first, second],
                    Err(e) => std::panic::resume_unwind(e),
                }
            })
        } else {
            vec![encode_part(&items)]
        };
        drop(items);
        Self::finish(chunks)
    }

    /// Builds an index from pages of customers (read from the database
    /// page by page): two threads encode the pages while the caller's
    /// iterator reads the next ones, so the whole input is never held at
    /// once. Ids should be distinct across pages (the database's are); of
    /// two slots with the same id, one is kept.
    pub fn build_paged(pages: impl Iterator<Item = Vec<CustomerKeys>>) -> Self {
        use std::sync::mpsc::sync_channel;
        let chunks = std::thread::scope(|sc| {
            let (tx_a, rx_a) = sync_channel::<Vec<CustomerKeys>>(2);
            let (tx_b, rx_b) = sync_channel::<Vec<CustomerKeys>>(2);
            let ha = sc.spawn(move || encode_pages(rx_a));
            let hb = sc.spawn(move || encode_pages(rx_b));
            for (i, page) in pages.enumerate() {
                let tx = if i % 2 == 0 { &tx_a } else { &tx_b };
                if tx.send(page).is_err() {
                    break;
                }
            }
            drop(tx_a);
            drop(tx_b);
            let join = |h: std::thread::ScopedJoinHandle<'_, Vec<Store>>| match h.join() {
                Ok(st) => st,
                Err(e) => std::panic::resume_unwind(e),
            };
            // Back in page order, so that slots keep the ids ascending
            // (the id table is then a binary search, see `idmap`).
            let (a, b) = (join(ha), join(hb));
            let mut chunks = Vec::with_capacity(a.len() + b.len());
            let mut b = b.into_iter();
            for st in a {
                chunks.push(st);
                chunks.extend(b.next());
            }
            chunks.extend(b);
            chunks
        });
        Self::finish(chunks)
    }

    /// Joins encoded chunks into one store, drops earlier duplicates of an
    /// id and sorts the prefix lists.
    fn finish(mut chunks: Vec<Store>) -> Self {
        let mut idx = Index::new();
        let mut st = if chunks.is_empty() {
            Store::default()
        } else {
            chunks.remove(0)
        };
        for ch in &chunks {
            st.reserve_like(ch, false);
        }
        for ch in chunks.drain(..) {
            st.append(&ch, false);
        }
        idx.store = st;
        idx.store.shrink();
        let store = &mut idx.store;
        idx.dead = idx.by_id.rebuild(&store.ids, &mut store.flags);
        if idx.dead > 0 {
            idx.compact();
        } else {
            idx.sorted = Sorted::build(&idx.store);
        }
        idx
    }

    /// An index from stored parts (a snapshot, see `snapshot.rs`): the id
    /// table is rebuilt from the live slots; of two live slots with one id
    /// the later is kept.
    pub(crate) fn from_parts(store: Store, sorted: Sorted) -> Self {
        let mut idx = Index::new();
        idx.store = store;
        idx.sorted = sorted;
        let store = &mut idx.store;
        idx.dead = idx.by_id.rebuild(&store.ids, &mut store.flags);
        idx
    }

    /// Adds or replaces a customer (by id). Cheap: the new keys are appended
    /// and the old slot is marked dead; visible to the next query.
    pub fn upsert(&mut self, c: CustomerKeys) {
        self.kill(c.id);
        let mut parts: Parts = Default::default();
        encode(&c, &mut parts);
        let mut slot = self.store.push(&c, &parts);
        if slot.is_none() && self.dead > 0 {
            self.compact();
            slot = self.store.push(&c, &parts);
        }
        if let Some(s) = slot {
            self.by_id
                .insert(c.id, s, &self.store.ids, &self.store.flags);
        }
        self.generation += 1;
        self.maybe_compact();
    }

    pub fn remove(&mut self, id: i64) {
        if self.kill(id) {
            self.generation += 1;
            self.maybe_compact();
        }
    }

    fn kill(&mut self, id: i64) -> bool {
        match self.by_id.remove(id, &self.store.ids, &self.store.flags) {
            Some(s) => {
                if let Some(f) = self.store.flags.get_mut(s as usize) {
                    *f &= !F_ALIVE;
                }
                self.dead += 1;
                true
            }
            None => false,
        }
    }

    fn maybe_compact(&mut self) {
        if self.dead >= 1024 && self.dead * 4 >= self.store.slots() {
            self.compact();
        }
    }

    /// Drops dead slots (renumbers slots; open sessions fall back to a full
    /// scan on their next keystroke).
    pub fn compact(&mut self) {
        let old = std::mem::take(&mut self.store);
        let mut st = Store::default();
        st.reserve_like(&old, true);
        // Cannot overflow: the live data is a subset of what fitted before.
        st.append(&old, true);
        drop(old);
        self.store = st;
        let store = &mut self.store;
        self.by_id.rebuild(&store.ids, &mut store.flags);
        self.sorted = Sorted::default();
        self.sorted = Sorted::build(&self.store);
        self.dead = 0;
        self.generation += 1;
    }

    /// Whether a live customer has this id.
    pub fn contains(&self, id: i64) -> bool {
        self.slot(id).is_some()
    }

    /// The live slot holding customer `id`.
    pub(crate) fn slot(&self, id: i64) -> Option<u32> {
        self.by_id.get(id, &self.store.ids, &self.store.flags)
    }

    /// Number of live customers.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.len() == 0
    }

    /// Heap bytes held by the index (arenas, offsets, per-slot arrays, id
    /// table).
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.store.heap_bytes()
            + self.by_id.heap_bytes()
            + self.sorted.heap_bytes()
    }

    /// Heap bytes per component, for diagnostics.
    pub fn memory_breakdown(&self) -> Vec<(&'static str, usize)> {
        const NAMES: [&str; ARENAS] = [
            "names",
            "pinyin+initials",
            "phones",
            "plates",
            "codes",
            "company",
            "address",
            "text ascii runs",
            "original names",
        ];
        let mut v: Vec<(&'static str, usize)> = NAMES
            .iter()
            .zip(&self.store.arenas)
            .map(|(n, a)| (*n, a.bytes.capacity()))
            .collect();
        v.push((
            "offsets",
            self.store.arenas.iter().map(|a| a.off.heap_bytes()).sum(),
        ));
        v.push((
            "ids+last_contact+flags",
            8 * self.store.ids.capacity()
                + 4 * self.store.last_contact.capacity()
                + self.store.flags.capacity(),
        ));
        v.push(("letter masks", 8 * self.store.masks.capacity()));
        v.push(("sorted prefix keys", self.sorted.heap_bytes()));
        v.push(("id table", self.by_id.heap_bytes()));
        v
    }

    /// One-shot query (no narrowing). See [`Session::query`].
    pub fn query(
        &self,
        q: &str,
        limit: usize,
        include_confidential: bool,
    ) -> Vec<crate::search::Hit> {
        Session::new().query(self, q, limit, include_confidential)
    }
}
