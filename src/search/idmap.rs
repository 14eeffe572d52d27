//! id -> slot. [`ById`]: a binary search over the leading slots whose ids
//! ascend — a build from the database reads customers by id, so after a
//! build or a snapshot load that is every slot and the table costs nothing
//! — plus an [`IdMap`] for the slots appended after them (upserts).
//! [`IdMap`]: open addressing over `u32` slots (4 bytes per bucket instead
//! of ~17 for a `HashMap<i64, u32>`); keys are read from the store's `ids`
//! array. Linear probing with backward-shift deletion.

use super::arena::F_ALIVE;

#[derive(Debug, Clone, Default)]
pub(crate) struct ById {
    /// Slots below this have strictly ascending ids.
    sorted: usize,
    /// The live slots at or above `sorted`, and those that replace a slot
    /// below it.
    extra: IdMap,
    live: usize,
}

impl ById {
    /// Live ids.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.extra.heap_bytes()
    }

    pub(crate) fn get(&self, id: i64, ids: &[i64], flags: &[u8]) -> Option<u32> {
        if let Some(s) = self.extra.get(id, ids) {
            return Some(s);
        }
        let s = ids.get(..self.sorted)?.binary_search(&id).ok()?;
        (flags.get(s)? & F_ALIVE != 0).then_some(s as u32)
    }

    /// Maps `id` to the (live) `slot`; returns the live slot it had
    /// before, which the caller marks dead.
    pub(crate) fn insert(&mut self, id: i64, slot: u32, ids: &[i64], flags: &[u8]) -> Option<u32> {
        let old = self.get(id, ids, flags);
        self.extra.insert(id, slot, ids);
        if old.is_none() {
            self.live += 1;
        }
        old
    }

    /// Forgets `id`; returns its slot, which the caller marks dead.
    pub(crate) fn remove(&mut self, id: i64, ids: &[i64], flags: &[u8]) -> Option<u32> {
        let s = self.get(id, ids, flags)?;
        self.extra.remove(id, ids);
        self.live -= 1;
        Some(s)
    }

    /// Rebuilds over every slot; of two live slots with one id the later
    /// is kept and the earlier marked dead in `flags`. Returns the number
    /// of dead slots.
    pub(crate) fn rebuild(&mut self, ids: &[i64], flags: &mut [u8]) -> usize {
        let n = ids.len().min(flags.len());
        let mut sorted = n.min(1);
        while sorted < n && ids[sorted - 1] < ids[sorted] {
            sorted += 1;
        }
        *self = ById {
            sorted,
            extra: IdMap::default(),
            live: 0,
        };
        let alive = flags[..sorted]
            .iter()
            .filter(|&&f| f & F_ALIVE != 0)
            .count();
        self.live = alive;
        let mut dead = sorted - alive;
        for s in sorted..n {
            if flags[s] & F_ALIVE == 0 {
                dead += 1;
                continue;
            }
            // `s` fits in u32: Store::push refuses more slots.
            if let Some(old) = self.insert(ids[s], s as u32, ids, flags) {
                flags[old as usize] &= !F_ALIVE;
                dead += 1;
            }
        }
        dead
    }
}

const EMPTY: u32 = u32::MAX;

#[derive(Debug, Clone, Default)]
pub(crate) struct IdMap {
    table: Vec<u32>,
    len: usize,
}

#[inline]
fn hash(id: i64) -> u64 {
    let mut z = id as u64;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl IdMap {
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.capacity() * 4
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    pub(crate) fn get(&self, id: i64, ids: &[i64]) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mut i = hash(id) as usize & self.mask();
        loop {
            let s = self.table[i];
            if s == EMPTY {
                return None;
            }
            if ids.get(s as usize) == Some(&id) {
                return Some(s);
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Inserts or overwrites; returns the previous slot for `id`.
    pub(crate) fn insert(&mut self, id: i64, slot: u32, ids: &[i64]) -> Option<u32> {
        if (self.len + 1) * 10 > self.table.len() * 7 {
            self.grow(ids);
        }
        let mut i = hash(id) as usize & self.mask();
        loop {
            let s = self.table[i];
            if s == EMPTY {
                self.table[i] = slot;
                self.len += 1;
                return None;
            }
            if ids.get(s as usize) == Some(&id) {
                self.table[i] = slot;
                return Some(s);
            }
            i = (i + 1) & self.mask();
        }
    }

    pub(crate) fn remove(&mut self, id: i64, ids: &[i64]) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash(id) as usize & mask;
        loop {
            let s = self.table[i];
            if s == EMPTY {
                return None;
            }
            if ids.get(s as usize) == Some(&id) {
                break;
            }
            i = (i + 1) & mask;
        }
        let removed = self.table[i];
        self.len -= 1;
        // Backward-shift: pull later members of the probe chain into the hole.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let s = self.table[j];
            if s == EMPTY {
                break;
            }
            let home = ids.get(s as usize).map_or(j, |&k| hash(k) as usize & mask);
            // Move s into the hole if its home is not in (hole, j].
            let dist_home = j.wrapping_sub(home) & mask;
            let dist_hole = j.wrapping_sub(hole) & mask;
            if dist_home >= dist_hole {
                self.table[hole] = s;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.table[hole] = EMPTY;
        Some(removed)
    }

    fn grow(&mut self, ids: &[i64]) {
        let old = std::mem::take(&mut self.table);
        let size = (old.len() * 2).max(16);
        self.table = vec![EMPTY; size];
        self.len = 0;
        for s in old.into_iter().filter(|&s| s != EMPTY) {
            if let Some(&id) = ids.get(s as usize) {
                let mut i = hash(id) as usize & self.mask();
                while self.table[i] != EMPTY {
                    i = (i + 1) & self.mask();
                }
                self.table[i] = s;
                self.len += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_id_binary_search_then_table_later_slot_wins() {
        // Slots 0..4 ascend; 4.. are appended replacements and newcomers.
        let ids = vec![10, 20, 30, 40, 20, 5, 5, 50];
        let mut flags = vec![F_ALIVE; ids.len()];
        flags[2] = 0; // 30 was removed
        let mut m = ById::default();
        let dead = m.rebuild(&ids, &mut flags);
        // 30 (dead), the first 20 and the first 5 (replaced later).
        assert_eq!(dead, 3);
        assert!(m.heap_bytes() > 0);
        let get = |m: &ById, id, flags: &[u8]| m.get(id, &ids, flags);
        assert_eq!(get(&m, 10, &flags), Some(0));
        assert_eq!(get(&m, 20, &flags), Some(4));
        assert_eq!(get(&m, 30, &flags), None);
        assert_eq!(get(&m, 5, &flags), Some(6));
        assert_eq!(get(&m, 50, &flags), Some(7));
        assert_eq!(get(&m, 99, &flags), None);
        assert_eq!(m.len(), 5);
        // Removing one found by binary search, then one in the table.
        assert_eq!(m.remove(10, &ids, &flags), Some(0));
        flags[0] = 0;
        assert_eq!(m.remove(5, &ids, &flags), Some(6));
        flags[6] = 0;
        assert_eq!(
            (get(&m, 10, &flags), get(&m, 5, &flags), m.len()),
            (None, None, 3)
        );
        // A sorted build needs no table at all.
        let ids: Vec<i64> = (1..=1000).collect();
        let mut flags = vec![F_ALIVE; ids.len()];
        let mut m = ById::default();
        assert_eq!(m.rebuild(&ids, &mut flags), 0);
        assert_eq!((m.len(), m.heap_bytes()), (1000, 0));
    }

    #[test]
    fn insert_get_remove_many() {
        let ids: Vec<i64> = (0..5000).map(|i| i * 7919 - 100_000).collect();
        let mut m = IdMap::default();
        for (s, &id) in ids.iter().enumerate() {
            assert_eq!(m.insert(id, s as u32, &ids), None);
        }
        for (s, &id) in ids.iter().enumerate() {
            assert_eq!(m.get(id, &ids), Some(s as u32));
        }
        for (s, &id) in ids.iter().enumerate().filter(|(s, _)| s % 3 == 0) {
            assert_eq!(m.remove(id, &ids), Some(s as u32));
        }
        for (s, &id) in ids.iter().enumerate() {
            assert_eq!(
                m.get(id, &ids),
                (s % 3 != 0).then_some(s as u32),
                "slot {s}"
            );
        }
        assert_eq!(m.len(), 5000 - 1667);
        assert_eq!(m.get(123_456_789, &ids), None);
    }
}
