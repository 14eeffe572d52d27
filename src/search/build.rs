//! Building an index from scratch: customers are encoded into chunks by
//! [`Encoder`]s, on as many threads as the caller likes, and the chunks are
//! joined in order by [`Index::from_chunks`]. The caller decides how
//! customers are read (`live_index` reads the database on two
//! connections, one per core, each encoding what it read).

use super::CustomerKeys;
use super::arena::{Index, Sizes, Store};
use super::keys::{NameCache, Parts, encode_cached};

/// Encodes customers into [`Chunk`]s. One per thread: it keeps the pinyin
/// of the names it has seen (names repeat a lot) across chunks.
pub struct Encoder {
    parts: Parts,
    cache: Option<NameCache>,
    /// The sizes of the last chunk, to reserve for the next at once.
    last: Sizes,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder {
            parts: Default::default(),
            cache: Some(NameCache::default()),
            last: Sizes::default(),
        }
    }
}

/// Customers encoded for an index, not searchable yet: see
/// [`Index::from_chunks`].
#[derive(Debug, Default)]
pub struct Chunk(Store);

impl Chunk {
    /// Customers in the chunk.
    pub fn len(&self) -> usize {
        self.0.slots()
    }

    pub fn is_empty(&self) -> bool {
        self.0.slots() == 0
    }
}

impl Encoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Encodes `customers` into one chunk. (Not shrunk: a chunk lives
    /// until [`Index::from_chunks`] copies it.)
    pub fn encode(&mut self, customers: &[CustomerKeys]) -> Chunk {
        let mut st = Store::default();
        st.reserve_sized(customers.len(), &self.last);
        for c in customers {
            encode_cached(c, &mut self.parts, &mut self.cache);
            // A chunk cannot pass 4 GiB unless the whole index would.
            let _ = st.push(c, &self.parts);
        }
        self.last = st.sizes();
        Chunk(st)
    }
}

/// Joins chunks into one index as they come, in the order given, so that
/// they need not all be held at once (nor the index twice): after the
/// first chunk it reserves for the customers expected, sized like that
/// chunk's (the excess is given back at the end).
#[derive(Debug, Default)]
pub struct Joiner {
    st: Store,
    expect: usize,
}

impl Joiner {
    /// A joiner for about `customers` customers.
    pub fn new(customers: usize) -> Self {
        Joiner {
            st: Store::default(),
            expect: customers,
        }
    }

    /// Appends a chunk's customers after those pushed before.
    pub fn push(&mut self, chunk: Chunk) {
        if self.st.slots() == 0 {
            self.st = chunk.0;
            let more = self.expect.saturating_sub(self.st.slots());
            let like = self.st.sizes();
            self.st.reserve_sized(more, &like);
            return;
        }
        // Past 4 GiB an arena takes no more (nor would one index).
        let _ = self.st.append_all(&chunk.0);
    }

    /// Customers pushed so far.
    pub fn len(&self) -> usize {
        self.st.slots()
    }

    pub fn is_empty(&self) -> bool {
        self.st.slots() == 0
    }

    /// The index of every customer pushed (see [`Index::from_chunks`]).
    pub fn finish(self) -> Index {
        Index::finish(vec![self.st])
    }
}

/// Encodes every page received, one chunk per page.
fn encode_pages(rx: std::sync::mpsc::Receiver<Vec<CustomerKeys>>) -> Vec<Chunk> {
    let mut enc = Encoder::new();
    rx.into_iter().map(|page| enc.encode(&page)).collect()
}

fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match h.join() {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e),
    }
}

impl Index {
    /// Joins chunks into an index, slots in the order given (ids ascending
    /// across the chunks make the id table free, see `idmap`); of two
    /// slots with the same id the later is kept. Sorts the prefix lists
    /// (on two threads).
    pub fn from_chunks(chunks: Vec<Chunk>) -> Self {
        Index::finish(chunks.into_iter().map(|c| c.0).collect())
    }

    /// Builds an index; a later duplicate of an id replaces the earlier one.
    /// Key derivation (pinyin) is split over two threads for large inputs.
    pub fn build(items: impl IntoIterator<Item = CustomerKeys>) -> Self {
        let items: Vec<CustomerKeys> = items.into_iter().collect();
        let chunks = if items.len() >= 20_000 {
            let (a, b) = items.split_at(items.len() / 2);
            std::thread::scope(|sc| {
                let h = sc.spawn(|| Encoder::new().encode(b));
                let first = Encoder::new().encode(a);
                vec![first, join(h)]
            })
        } else {
            vec![Encoder::new().encode(&items)]
        };
        drop(items);
        Self::from_chunks(chunks)
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
            // Back in page order, so that slots keep the ids ascending.
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
        Self::from_chunks(chunks)
    }
}
