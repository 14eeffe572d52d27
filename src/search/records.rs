//! Record storage: one arena's bytes with the record offsets into them
//! ([`Arena`], [`Offsets`]), and the original names of the few records
//! that have one ([`Originals`]).

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
    pub(crate) fn fits(&self, end: usize) -> bool {
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
    pub(crate) fn push(&mut self, end: usize) -> bool {
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

    /// Appends the boundaries of `other` after its first, each moved by
    /// `shift` bytes.
    pub(crate) fn extend_shifted(&mut self, other: &Offsets, shift: usize) {
        for i in 1..other.len() {
            self.push(shift + other.at(i));
        }
    }

    pub(crate) fn reserve_exact(&mut self, add: usize) {
        self.rel.reserve_exact(add);
        self.base.reserve_exact(add / BLOCK + 1);
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.base.shrink_to_fit();
        self.rel.shrink_to_fit();
    }

    pub(crate) fn heap_bytes(&self) -> usize {
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

/// The original names of the slots that have one (where it differs from
/// the folded key: Latin names, mostly), by slot: a few percent of the
/// customers, so a list of those slots (ascending) costs less than an
/// empty record offset for everyone.
#[derive(Debug, Clone, Default)]
pub(crate) struct Originals {
    pub(crate) slots: Vec<u32>,
    pub(crate) names: Arena,
}

impl Originals {
    pub(crate) fn get(&self, s: usize) -> Option<&[u8]> {
        let i = self.slots.binary_search(&u32::try_from(s).ok()?).ok()?;
        Some(self.names.rec(i))
    }

    pub(crate) fn fits(&self, name: &[u8]) -> bool {
        name.is_empty() || self.names.off.fits(self.names.bytes.len() + name.len())
    }

    /// Appends the original name of `slot` (nothing if empty); the caller
    /// checked [`Originals::fits`] and appends slots in ascending order.
    pub(crate) fn push(&mut self, slot: u32, name: &[u8]) {
        if name.is_empty() {
            return;
        }
        reserve_for(&mut self.names.bytes, name.len());
        self.names.bytes.extend_from_slice(name);
        self.names.off.push(self.names.bytes.len());
        reserve_for(&mut self.slots, 1);
        self.slots.push(slot);
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        4 * self.slots.capacity() + self.names.bytes.capacity() + self.names.off.heap_bytes()
    }

    pub(crate) fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        self.names.bytes.shrink_to_fit();
        self.names.off.shrink_to_fit();
    }
}

/// Reserves in steps of 1/8 of the current length, so that the first upsert
/// after a build does not double an arena.
pub(crate) fn reserve_for<T>(v: &mut Vec<T>, add: usize) {
    if v.capacity() - v.len() < add {
        v.reserve_exact(add.max(v.len() / 8).max(64));
    }
}
