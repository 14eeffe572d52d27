//! Compact id -> slot map: open addressing over `u32` slots (4 bytes per
//! bucket instead of ~17 for a `HashMap<i64, u32>`); keys are read from the
//! store's `ids` array. Linear probing with backward-shift deletion.

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

    /// Rebuilds for `slots` ids (all live).
    pub(crate) fn rebuild(&mut self, ids: &[i64], live: impl Iterator<Item = u32>, expect: usize) {
        let size = ((expect.max(8) * 10 / 7) + 1).next_power_of_two();
        self.table = vec![EMPTY; size];
        self.len = 0;
        for s in live {
            if let Some(&id) = ids.get(s as usize) {
                self.insert(id, s, ids);
            }
        }
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
