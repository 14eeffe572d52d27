//! Customer search for the call-centre UI.
//!
//! Layout (see `arena.rs`): every customer owns one contiguous *record* in a
//! key arena (name, pinyin variants, initials, plates, code, phones — each key
//! preceded by a one-byte tag) and one record in a text arena (company,
//! address). A query term is found with one `memmem` pass over the arenas; the
//! byte before an occurrence tells whether it is a key prefix, the byte after
//! whether it is the whole key, so scoring an occurrence costs a few loads.
//! Fuzzy (in-order subsequence) matching is a second, memchr-driven pass that
//! only runs when the exact/prefix/substring tiers cannot fill the page.
//! [`Session`] keeps the survivors of the previous keystroke so that typing one
//! more character only rescans those records.

mod arena;
mod build;
mod fuzzy;
mod hant;
mod highlight;
mod idmap;
mod keys;
mod normalize;
mod pinyin_keys;
mod query;
mod rank;
mod records;
mod scan;
pub mod snapshot;
mod sorted;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_typed;

pub use arena::Index;
pub use build::{Chunk, Encoder, Joiner};
pub use query::{Options, Session};

// What the engine reads of a customer lives in `domain`, so that `store`
// can produce it without knowing the engine.
pub use crate::domain::customer_keys::CustomerKeys;

/// The key a hit matched on (for multi-term queries: the best-scoring term's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Pinyin,
    Initials,
    Phone,
    Plate,
    Code,
    Company,
    Address,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::Pinyin,
        Field::Initials,
        Field::Phone,
        Field::Plate,
        Field::Code,
        Field::Company,
        Field::Address,
    ];

    /// The name `hotline search --json` and the server's answers use.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Pinyin => "pinyin",
            Field::Initials => "initials",
            Field::Phone => "phone",
            Field::Plate => "plate",
            Field::Code => "code",
            Field::Company => "company",
            Field::Address => "address",
        }
    }

    pub fn named(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One search result. Higher `score` is better; results are sorted by
/// score, then most recent `last_contact`, then ascending id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: i64,
    pub score: i64,
    pub field: Field,
    /// The customer's name as indexed.
    pub name: String,
    /// Char indices into `name` to highlight; empty if no term matched the
    /// name, its pinyin or its initials.
    pub name_matches: Vec<usize>,
}

/// How the engine read a query where that is not obvious, for the search
/// box to show (so the agent knows why a result is there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// A phone number as written, taken as these digits: a whole number
    /// (`whole`) or the part of one that was typed.
    Phone {
        digits: String,
        ext: Option<String>,
        whole: bool,
    },
    /// The best hit matched `term` only with a typo, on this key.
    Typo { term: String, key: String },
    /// The best hit matched `term` only by southern pinyin (模糊音).
    Sound { term: String, key: String },
}
