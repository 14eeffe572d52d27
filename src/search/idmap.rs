//! id -> slot. [`ById`]: a binary search over the leading slots whose ids
//! ascend — a build from the database reads customers by id, so after a
//! build or a snapshot load that is every slot and the table costs nothing
//! — plus an [`IdMap`] for the slots appended after them (upserts).
//! [`IdMap`]: open addressing over `u32` slots (4 bytes per bucket instead
//! of ~17 for a `HashMap<i64, u32>`); keys are read from the store's `ids`
//! array. Linear probing with backward-shift deletion. [`Ids`]: the ids
//! by slot, 4 bytes each while every id fits in a `u32` (database row ids
//! do), 8 once one does not.

use super::arena::F_ALIVE;

/// Customer id of every slot.
#[derive(Debug, Clone)]
pub(crate) enum Ids {
    Narrow(Vec<u32>),
    Wide(Vec<i64>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Narrow(Vec::new())
    }
}

impl From<Vec<i64>> for Ids {
    fn from(v: Vec<i64>) -> Self {
        match v.iter().map(|&id| u32::try_from(id)).collect() {
            Ok(narrow) => Ids::Narrow(narrow),
            Err(_) => Ids::Wide(v),
        }
    }
}

fn wide(v: &[u32]) -> Vec<i64> {
    v.iter().map(|&x| i64::from(x)).collect()
}

impl Ids {
    pub(crate) fn len(&self) -> usize {
        match self {
            Ids::Narrow(v) => v.len(),
            Ids::Wide(v) => v.len(),
        }
    }

    /// Id of slot `s` (`s` must be a slot).
    #[inline]
    pub(crate) fn at(&self, s: usize) -> i64 {
        match self {
            Ids::Narrow(v) => i64::from(v[s]),
            Ids::Wide(v) => v[s],
        }
    }

    #[inline]
    pub(crate) fn get(&self, s: usize) -> Option<i64> {
        match self {
            Ids::Narrow(v) => v.get(s).map(|&x| i64::from(x)),
            Ids::Wide(v) => v.get(s).copied(),
        }
    }

    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len()).map(|s| self.at(s))
    }

    /// The slot below `upto` holding `id`, where those ids ascend.
    fn search(&self, upto: usize, id: i64) -> Option<usize> {
        match self {
            Ids::Narrow(v) => v.get(..upto)?.binary_search(&u32::try_from(id).ok()?).ok(),
            Ids::Wide(v) => v.get(..upto)?.binary_search(&id).ok(),
        }
    }

    /// Appends `id`; `more(len)` is how many to reserve when full.
    pub(crate) fn push(&mut self, id: i64, more: impl Fn(usize) -> usize) {
        fn room<T>(v: &mut Vec<T>, more: impl Fn(usize) -> usize) {
            if v.capacity() == v.len() {
                v.reserve_exact(more(v.len()));
            }
        }
        match self {
            Ids::Narrow(v) => match u32::try_from(id) {
                Ok(x) => {
                    room(v, more);
                    v.push(x);
                }
                Err(_) => {
                    let mut w = wide(v);
                    w.push(id);
                    *self = Ids::Wide(w);
                }
            },
            Ids::Wide(v) => {
                room(v, more);
                v.push(id);
            }
        }
    }

    pub(crate) fn extend(&mut self, other: &Ids) {
        match (&mut *self, other) {
            (Ids::Narrow(a), Ids::Narrow(b)) => a.extend_from_slice(b),
            (Ids::Narrow(a), Ids::Wide(b)) => {
                let mut w = wide(a);
                w.extend_from_slice(b);
                *self = Ids::Wide(w);
            }
            (Ids::Wide(a), Ids::Wide(b)) => a.extend_from_slice(b),
            (Ids::Wide(a), Ids::Narrow(b)) => a.extend(b.iter().map(|&x| i64::from(x))),
        }
    }

    pub(crate) fn reserve_exact(&mut self, add: usize) {
        match self {
            Ids::Narrow(v) => v.reserve_exact(add),
            Ids::Wide(v) => v.reserve_exact(add),
        }
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        match self {
            Ids::Narrow(v) => v.shrink_to_fit(),
            Ids::Wide(v) => v.shrink_to_fit(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Ids::Narrow(v) => 4 * v.capacity(),
            Ids::Wide(v) => 8 * v.capacity(),
        }
    }
}

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

    pub(crate) fn get(&self, id: i64, ids: &Ids, flags: &[u8]) -> Option<u32> {
        if let Some(s) = self.extra.get(id, ids) {
            return Some(s);
        }
        let s = ids.search(self.sorted, id)?;
        (flags.get(s)? & F_ALIVE != 0).then_some(s as u32)
    }

    /// Maps `id` to the (live) `slot`; returns the live slot it had
    /// before, which the caller marks dead.
    pub(crate) fn insert(&mut self, id: i64, slot: u32, ids: &Ids, flags: &[u8]) -> Option<u32> {
        let old = self.get(id, ids, flags);
        self.extra.insert(id, slot, ids);
        if old.is_none() {
            self.live += 1;
        }
        old
    }

    /// Forgets `id`; returns its slot, which the caller marks dead.
    pub(crate) fn remove(&mut self, id: i64, ids: &Ids, flags: &[u8]) -> Option<u32> {
        let s = self.get(id, ids, flags)?;
        self.extra.remove(id, ids);
        self.live -= 1;
        Some(s)
    }

    /// Rebuilds over every slot; of two live slots with one id the later
    /// is kept and the earlier marked dead in `flags`. Returns the number
    /// of dead slots.
    pub(crate) fn rebuild(&mut self, ids: &Ids, flags: &mut [u8]) -> usize {
        let n = ids.len().min(flags.len());
        let mut sorted = n.min(1);
        while sorted < n && ids.at(sorted - 1) < ids.at(sorted) {
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
            if let Some(old) = self.insert(ids.at(s), s as u32, ids, flags) {
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

    pub(crate) fn get(&self, id: i64, ids: &Ids) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        let mut i = hash(id) as usize & self.mask();
        loop {
            let s = self.table[i];
            if s == EMPTY {
                return None;
            }
            if ids.get(s as usize) == Some(id) {
                return Some(s);
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Inserts or overwrites; returns the previous slot for `id`.
    pub(crate) fn insert(&mut self, id: i64, slot: u32, ids: &Ids) -> Option<u32> {
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
            if ids.get(s as usize) == Some(id) {
                self.table[i] = slot;
                return Some(s);
            }
            i = (i + 1) & self.mask();
        }
    }

    pub(crate) fn remove(&mut self, id: i64, ids: &Ids) -> Option<u32> {
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
            if ids.get(s as usize) == Some(id) {
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
            let home = ids.get(s as usize).map_or(j, |k| hash(k) as usize & mask);
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

    fn grow(&mut self, ids: &Ids) {
        let old = std::mem::take(&mut self.table);
        let size = (old.len() * 2).max(16);
        self.table = vec![EMPTY; size];
        self.len = 0;
        for s in old.into_iter().filter(|&s| s != EMPTY) {
            if let Some(id) = ids.get(s as usize) {
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
        let ids = Ids::from(vec![10, 20, 30, 40, 20, 5, 5, 50]);
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
        let ids = Ids::from((1..=1000).collect::<Vec<i64>>());
        let mut flags = vec![F_ALIVE; ids.len()];
        let mut m = ById::default();
        assert_eq!(m.rebuild(&ids, &mut flags), 0);
        assert_eq!((m.len(), m.heap_bytes()), (1000, 0));
    }

    #[test]
    fn insert_get_remove_many() {
        let ids = Ids::from((0..5000).map(|i| i * 7919 - 100_000).collect::<Vec<i64>>());
        assert!(matches!(ids, Ids::Wide(_)));
        let mut m = IdMap::default();
        for (s, id) in ids.iter().enumerate() {
            assert_eq!(m.insert(id, s as u32, &ids), None);
        }
        for (s, id) in ids.iter().enumerate() {
            assert_eq!(m.get(id, &ids), Some(s as u32));
        }
        for (s, id) in ids.iter().enumerate().filter(|(s, _)| s % 3 == 0) {
            assert_eq!(m.remove(id, &ids), Some(s as u32));
        }
        for (s, id) in ids.iter().enumerate() {
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
