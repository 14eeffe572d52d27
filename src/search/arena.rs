//! Storage: one contiguous byte arena per field group with per-slot
//! offsets, per-slot arrays, and the [`Index`] that owns them.
//!
//! Slots are append-only. `upsert` kills the old slot and appends a new one
//! (microseconds); dead bytes are reclaimed by [`Index::compact`], which runs
//! automatically once a quarter of the slots are dead (a plain copy of the
//! live records, no pinyin recomputation; not timed at 1M yet).

use std::sync::atomic::{AtomicU64, Ordering};

use super::CustomerKeys;
use super::idmap::{ById, Ids};
use super::keys::{ARENAS, NAMES, ORIG, PINYIN, PLATES, Parts, encode};
use super::query::Session;
use super::sorted::Sorted;

pub(crate) const F_ALIVE: u8 = 1;
pub(crate) const F_CONFIDENTIAL: u8 = 2;
pub(crate) const F_CLASS_A: u8 = 4;

pub(crate) use super::records::{Arena, MAX_RECORD, Offsets, Originals, reserve_for};

static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// How many slots a store has and how many bytes in each arena.
#[derive(Debug, Default)]
pub(super) struct Sizes {
    slots: usize,
    bytes: [usize; ARENAS],
}

/// Struct-of-arrays storage of all slots.
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    pub arenas: [Arena; ARENAS],
    pub(crate) ids: Ids,
    pub(crate) orig: Originals,
    /// Unix seconds as u32 (half the memory of i64; good until 2106).
    pub last_contact: Vec<u32>,
    pub flags: Vec<u8>,
    /// Letters and digits of the keys the fuzzy pass reads, one bit each
    /// (see [`letter_mask`]), as (names and pinyin, plates): a fuzzy match
    /// lies inside one key, so where a mask lacks a bit of the term's, the
    /// pass skips those keys. Plates apart, because their random letters
    /// would otherwise let most records through. Stored as three `u16`
    /// (6 bytes a customer, not 8): the two halves of the names mask and
    /// the plates mask folded to 16 bits ([`fold16`]; plates hold few
    /// letters, so folded it still lets few records through). Read with
    /// [`Store::masks_of`].
    pub masks: Vec<[u16; 3]>,
}

/// A letter mask folded to 16 bits: bit `i` is set when bit `i` or
/// `i + 16` is. Folding keeps subsets subsets, so a record whose folded
/// mask lacks a bit of the folded term's cannot match; the reverse does
/// not hold (the fuzzy check decides).
#[inline]
pub(crate) fn fold16(m: u32) -> u16 {
    (m as u16) | ((m >> 16) as u16)
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
fn record_mask(parts: &Parts) -> [u16; 3] {
    let names = letter_mask(&parts[NAMES]) | letter_mask(&parts[PINYIN]);
    [
        names as u16,
        (names >> 16) as u16,
        fold16(letter_mask(&parts[PLATES])),
    ]
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

    /// Letter masks of slot `s`: names and pinyin, plates folded.
    #[inline]
    pub(crate) fn masks_of(&self, s: usize) -> (u32, u16) {
        let [lo, hi, plates] = self.masks[s];
        (u32::from(lo) | u32::from(hi) << 16, plates)
    }

    /// Original name of slot `s`.
    pub(crate) fn name(&self, s: usize) -> String {
        if let Some(orig) = self.orig.get(s) {
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
    pub(super) fn push(&mut self, c: &CustomerKeys, parts: &Parts) -> Option<u32> {
        let slot = u32::try_from(self.ids.len()).ok()?;
        for (a, p) in self.arenas.iter().zip(parts) {
            if !a.off.fits(a.bytes.len() + p.len()) {
                return None;
            }
        }
        if !self.orig.fits(&parts[ORIG]) {
            return None;
        }
        self.orig.push(slot, &parts[ORIG]);
        for (a, p) in self.arenas.iter_mut().zip(parts) {
            reserve_for(&mut a.bytes, p.len());
            a.bytes.extend_from_slice(p);
            a.off.push(a.bytes.len());
        }
        self.ids.push(c.id, |len| (len / 8).max(64));
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
            let orig = other.orig.get(s).unwrap_or_default();
            if !self.orig.fits(orig) {
                return false;
            }
            for (a, b) in self.arenas.iter_mut().zip(&other.arenas) {
                a.bytes.extend_from_slice(b.rec(s));
                a.off.push(a.bytes.len());
            }
            // Cannot overflow: fewer slots than `other` has.
            self.orig.push(self.slots() as u32, orig);
            self.ids.push(other.ids.at(s), |len| len.max(64));
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

    pub(super) fn sizes(&self) -> Sizes {
        Sizes {
            slots: self.slots(),
            bytes: std::array::from_fn(|i| self.arenas[i].bytes.len()),
        }
    }

    /// Reserves for `slots` more records, each arena's bytes as if its
    /// records were as long as `like`'s (a chunk sized like the last
    /// spares the growth steps of [`reserve_for`]).
    pub(super) fn reserve_sized(&mut self, slots: usize, like: &Sizes) {
        let per = like.slots.max(1);
        for (a, &bytes) in self.arenas.iter_mut().zip(&like.bytes) {
            a.bytes.reserve_exact(bytes * slots / per * 9 / 8 + 64);
            a.off.reserve_exact(slots);
        }
        self.ids.reserve_exact(slots);
        self.last_contact.reserve_exact(slots);
        self.flags.reserve_exact(slots);
        self.masks.reserve_exact(slots);
    }

    /// Reserves exactly for appending every slot of `others`.
    fn reserve_all(&mut self, others: &[Store]) {
        let slots: usize = others.iter().map(Store::slots).sum();
        for (i, a) in self.arenas.iter_mut().enumerate() {
            a.bytes
                .reserve_exact(others.iter().map(|o| o.arenas[i].bytes.len()).sum());
            a.off.reserve_exact(slots);
        }
        self.ids.reserve_exact(slots);
        self.last_contact.reserve_exact(slots);
        self.flags.reserve_exact(slots);
        self.masks.reserve_exact(slots);
        let orig = |f: fn(&Originals) -> usize| others.iter().map(|o| f(&o.orig)).sum();
        self.orig.slots.reserve_exact(orig(|o| o.slots.len()));
        self.orig
            .names
            .bytes
            .reserve_exact(orig(|o| o.names.bytes.len()));
        self.orig.names.off.reserve_exact(orig(|o| o.slots.len()));
    }

    /// Appends every slot of `other`, arena by arena. False (and nothing
    /// changed) if an arena would pass 4 GiB.
    pub(super) fn append_all(&mut self, other: &Store) -> bool {
        let fits = self
            .arenas
            .iter()
            .zip(&other.arenas)
            .all(|(a, b)| u32::try_from(a.bytes.len() + b.bytes.len()).is_ok());
        let orig_fits =
            u32::try_from(self.orig.names.bytes.len() + other.orig.names.bytes.len()).is_ok();
        if !fits || !orig_fits || u32::try_from(self.slots() + other.slots()).is_err() {
            return false;
        }
        let (first, shift) = (self.slots() as u32, self.orig.names.bytes.len());
        self.orig
            .slots
            .extend(other.orig.slots.iter().map(|&s| first + s));
        self.orig
            .names
            .bytes
            .extend_from_slice(&other.orig.names.bytes);
        self.orig
            .names
            .off
            .extend_shifted(&other.orig.names.off, shift);
        for (a, b) in self.arenas.iter_mut().zip(&other.arenas) {
            let shift = a.bytes.len();
            a.bytes.extend_from_slice(&b.bytes);
            // Cannot fail: the total fits in u32 and each block of `b`
            // spans what a block can.
            a.off.extend_shifted(&b.off, shift);
        }
        self.ids.extend(&other.ids);
        self.last_contact.extend_from_slice(&other.last_contact);
        self.flags.extend_from_slice(&other.flags);
        self.masks.extend_from_slice(&other.masks);
        true
    }

    pub(super) fn shrink(&mut self) {
        for a in &mut self.arenas {
            a.bytes.shrink_to_fit();
            a.off.shrink_to_fit();
        }
        self.ids.shrink_to_fit();
        self.last_contact.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.masks.shrink_to_fit();
        self.orig.shrink();
    }

    fn heap_bytes(&self) -> usize {
        self.arenas
            .iter()
            .map(|a| a.bytes.capacity() + a.off.heap_bytes())
            .sum::<usize>()
            + self.ids.heap_bytes()
            + self.orig.heap_bytes()
            + 4 * self.last_contact.capacity()
            + self.flags.capacity()
            + 6 * self.masks.capacity()
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

    /// Joins encoded chunks into one store, drops earlier duplicates of an
    /// id and sorts the prefix lists.
    pub(super) fn finish(mut chunks: Vec<Store>) -> Self {
        let mut idx = Index::new();
        let mut st = if chunks.is_empty() {
            Store::default()
        } else {
            chunks.remove(0)
        };
        st.reserve_all(&chunks);
        for ch in chunks.drain(..) {
            // Past 4 GiB an arena takes no more (nor would one index).
            if !st.append_all(&ch) {
                break;
            }
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
            self.store.ids.heap_bytes()
                + 4 * self.store.last_contact.capacity()
                + self.store.flags.capacity(),
        ));
        v.push(("letter masks", 6 * self.store.masks.capacity()));
        v.push(("original names", self.store.orig.heap_bytes()));
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
