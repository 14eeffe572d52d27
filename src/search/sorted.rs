//! Sorted key lists for the prefix tier: names, full pinyin, initials and
//! codes, each sorted by key bytes, so that the keys starting with a term
//! are one range found by binary search instead of a scan of the arena.
//!
//! A list holds slots (plus, for the pinyin arena, which key of the record
//! it is), 4–5 bytes per key. Each list holds keys of one tag, and keys
//! equal to the term sort before the longer keys that start with it, so
//! the score of every key in the range is known without reading it: the
//! walk over a range touches only the slot numbers, not the arenas.
//!
//! The lists cover the slots that existed when they were built (`upto`);
//! slots appended later by `upsert` are scanned the old way until the next
//! compaction rebuilds the lists. Dead slots stay listed and are filtered
//! where hits are counted (the `F_ALIVE` flag).

use super::arena::{Arena, F_ALIVE, Store};
use super::keys::{
    CODES, MATCH_MIN, NAMES, PINYIN, TAG_CODE, TAG_INITIALS, TAG_LIMIT, TAG_NAME, TAG_PINYIN,
};
use super::rank::{LVL_EXACT_KEY, LVL_EXACT_NAME, LVL_PREFIX, term_score};
use super::scan::Sink;

/// Bits of a packed entry that say which key of its record it is: a
/// pinyin record holds at most 16 keys (8 full pinyin, 8 initials).
const NTH_BITS: u32 = 4;

/// Keys of one tag in one arena, sorted by key bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct List {
    pub(crate) arena: usize,
    pub(crate) tag: u8,
    pub(crate) slots: Vec<u32>,
    /// Which key of its record each entry is (empty: always the first, or
    /// `packed`).
    pub(crate) nth: Vec<u8>,
    /// Entries are `slot << NTH_BITS | nth` (when every slot and key
    /// number fits, as at any size a `u32` slot list holds in practice):
    /// 4 bytes an entry instead of 5.
    pub(crate) packed: bool,
    /// When non-zero, `slots` is empty and entry `i` is slot `i`: the
    /// common case of codes handed out in id order, which then cost
    /// nothing instead of 4 bytes a customer.
    pub(crate) identity: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Sorted {
    /// Slots below this are in the lists.
    pub upto: usize,
    pub(crate) lists: Vec<List>,
}

/// The key bytes starting at `at` (up to the next tag or hidden byte).
#[inline]
fn key_at(b: &[u8], at: usize) -> &[u8] {
    let rest = &b[at.min(b.len())..];
    let end = rest
        .iter()
        .position(|&x| x < MATCH_MIN)
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Absolute offset of the `k`-th key of slot `s` (just after its tag).
#[inline]
fn key_start(ar: &Arena, s: usize, k: u8) -> Option<usize> {
    let (rs, re) = (ar.off.at(s), ar.off.at(s + 1));
    let mut seen = 0u8;
    for i in rs..re {
        if ar.bytes[i] < TAG_LIMIT {
            if seen == k {
                return Some(i + 1);
            }
            seen = seen.checked_add(1)?;
        }
    }
    None
}

/// Key bytes a sort entry holds (the commonest keys are shorter: a
/// three-character name is 9 bytes, a full pinyin rarely passes 16).
const HEAD: usize = 16;

/// First [`HEAD`] key bytes, big-endian, so that integer order is byte
/// order (keys hold no zero bytes, so a shorter key sorts first).
#[inline]
fn head(key: &[u8]) -> u128 {
    let mut w = [0u8; HEAD];
    let n = key.len().min(HEAD);
    w[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(w)
}

impl List {
    /// Sorts the keys tagged `tag` of every live slot below `n`.
    fn build(store: &Store, arena: usize, tag: u8, n: usize) -> List {
        let ar = &store.arenas[arena];
        let b = &ar.bytes;
        // (head, absolute key offset, slot, nth key of the record, whether
        // the key is longer than its head)
        let mut e: Vec<(u128, u32, u32, u8, bool)> = Vec::with_capacity(n);
        for (s, &f) in store.flags.iter().enumerate().take(n) {
            if f & F_ALIVE == 0 {
                continue;
            }
            let (rs, re) = (ar.off.at(s), ar.off.at(s + 1));
            let mut k = 0u8;
            for i in rs..re {
                if b[i] >= TAG_LIMIT {
                    continue;
                }
                let key = key_at(b, i + 1);
                // Offsets fit in u32: arenas are capped at 4 GiB.
                if b[i] == tag && !key.is_empty() {
                    let long = key.len() >= HEAD;
                    e.push((head(key), (i + 1) as u32, s as u32, k, long));
                }
                let Some(next) = k.checked_add(1) else {
                    break;
                };
                k = next;
            }
        }
        // The arena is read only where two heads are equal and one key is
        // at least as long as a head: otherwise the heads decide.
        e.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0).then_with(|| {
                if x.4 || y.4 {
                    key_at(b, x.1 as usize).cmp(key_at(b, y.1 as usize))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
        });
        let multi = arena == PINYIN;
        let packed = multi
            && e.iter()
                .all(|x| x.2 < 1 << (32 - NTH_BITS) && u32::from(x.3) < 1 << NTH_BITS);
        let mut list = List {
            arena,
            tag,
            slots: if packed {
                e.iter().map(|x| x.2 << NTH_BITS | u32::from(x.3)).collect()
            } else {
                e.iter().map(|x| x.2).collect()
            },
            nth: if multi && !packed {
                e.iter().map(|x| x.3).collect()
            } else {
                Vec::new()
            },
            identity: 0,
            packed,
        };
        if !list.packed
            && list.nth.iter().all(|&k| k == 0)
            && list.slots.iter().enumerate().all(|(i, &s)| s as usize == i)
        {
            list.identity = list.slots.len();
            list.slots = Vec::new();
            list.nth = Vec::new();
        }
        list.slots.shrink_to_fit();
        list.nth.shrink_to_fit();
        list
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.slots.len().max(self.identity)
    }

    /// Slot of entry `i`.
    #[inline]
    pub(crate) fn slot(&self, i: usize) -> u32 {
        if self.identity > 0 {
            i as u32
        } else if self.packed {
            self.slots[i] >> NTH_BITS
        } else {
            self.slots[i]
        }
    }

    /// Which key of its record entry `i` is.
    #[inline]
    fn nth(&self, i: usize) -> u8 {
        if self.packed {
            (self.slots[i] & ((1 << NTH_BITS) - 1)) as u8
        } else {
            self.nth.get(i).copied().unwrap_or(0)
        }
    }

    fn key<'a>(&self, ar: &'a Arena, i: usize) -> &'a [u8] {
        let k = self.nth(i);
        key_start(ar, self.slot(i) as usize, k).map_or(&[][..], |p| key_at(&ar.bytes, p))
    }

    /// First index for which `before(key)` is false (keys are sorted and
    /// `before` holds for a prefix of them).
    fn partition(&self, ar: &Arena, before: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(self.key(ar, mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// The lists [`Sorted::build`] makes, in its order: (arena, tag).
pub(crate) const LISTS: [(usize, u8); 4] = [
    (NAMES, TAG_NAME),
    (PINYIN, TAG_INITIALS),
    (PINYIN, TAG_PINYIN),
    (CODES, TAG_CODE),
];

impl Sorted {
    /// Sorts the keys of every live slot (two threads).
    pub(crate) fn build(store: &Store) -> Sorted {
        let n = store.slots();
        let lists = std::thread::scope(|sc| {
            let h = sc.spawn(|| {
                vec![
                    List::build(store, PINYIN, TAG_PINYIN, n),
                    List::build(store, CODES, TAG_CODE, n),
                ]
            });
            let mut lists = vec![
                List::build(store, NAMES, TAG_NAME, n),
                List::build(store, PINYIN, TAG_INITIALS, n),
            ];
            match h.join() {
                Ok(more) => lists.extend(more),
                Err(e) => std::panic::resume_unwind(e),
            }
            lists
        });
        Sorted { upto: n, lists }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.lists
            .iter()
            .map(|l| 4 * l.slots.capacity() + l.nth.capacity())
            .sum()
    }

    /// Whether the prefix keys of `arena` are in the lists.
    pub(crate) fn covers(arena: usize) -> bool {
        matches!(arena, NAMES | PINYIN | CODES)
    }

    /// Puts every key of `arena` that starts with `t` (in slots below
    /// `upto`) into `sink`, with the score an arena scan would give it.
    pub(crate) fn prefix_hits(&self, store: &Store, arena: usize, t: &[u8], sink: &mut impl Sink) {
        if t.is_empty() {
            return;
        }
        for list in self.lists.iter().filter(|l| l.arena == arena) {
            let ar = &store.arenas[arena];
            let lo = list.partition(ar, |k| k < t);
            let exact_end = list.partition(ar, |k| k <= t);
            let end = list.partition(ar, |k| k < t || k.starts_with(t));
            let exact = if list.tag == TAG_CODE {
                LVL_EXACT_KEY
            } else {
                LVL_EXACT_NAME
            };
            for (range, level) in [(lo..exact_end, exact), (exact_end..end, LVL_PREFIX)] {
                let score = term_score(level, list.tag);
                for i in range.start..range.end.min(list.len()) {
                    sink.put(list.slot(i) as usize, score, list.tag);
                }
            }
        }
    }
}
