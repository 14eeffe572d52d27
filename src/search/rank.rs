//! Scores and ranking.
//!
//! A term scores `level * 1000 + field_rank * 10`. Levels: exact
//! code/phone/plate 9 > exact name, full pinyin or initials 8 > prefix 7 >
//! substring 5. A fuzzy match scores `1000 + quality - FUZZY_PENALTY`, so
//! every hit whose terms all match exactly/by prefix/substring outranks
//! every hit with a fuzzy term. A typo match (one swapped, missing, extra
//! or wrong letter, see `fuzzy::typo_match`) scores below every fuzzy one
//! (`TYPO_PENALTY`), so typos never crowd out exact, prefix or in-order
//! matches. A southern-pinyin (模糊音) match scores level 3 (4 when it is
//! the whole key): below exact pinyin and every substring. A hit scores the sum over its terms, +5 for
//! class A (less than any field or level step). Ties: most recent
//! `last_contact`, then lower id.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::Hit;
use super::arena::{F_ALIVE, F_CLASS_A, F_CONFIDENTIAL, Store};
use super::highlight::name_matches;
use super::keys::{
    TAG_ADDRESS, TAG_ADDRESS_MID, TAG_CODE, TAG_COMPANY, TAG_COMPANY_MID, TAG_INITIALS, TAG_NAME,
    TAG_PHONE, TAG_PINYIN, TAG_PLATE, tag_field,
};
use super::query::{Surv, TermPlan};
use super::scan::{Best, eval_slot};

pub(crate) const LVL_EXACT_KEY: i32 = 9;
pub(crate) const LVL_EXACT_NAME: i32 = 8;
pub(crate) const LVL_PREFIX: i32 = 7;
pub(crate) const LVL_SUBSTRING: i32 = 5;
pub(crate) const LVL_FUZZY: i32 = 1;
pub(crate) const CLASS_A_BONUS: i64 = 5;
/// Subtracted from a fuzzy term's score.
pub(crate) const FUZZY_PENALTY: i32 = 1_000_000;
/// Subtracted from a typo term's score (below every fuzzy score).
pub(crate) const TYPO_PENALTY: i32 = 2_000_000;
/// Southern-pinyin (模糊音) match of a key's start; the whole key is one
/// level more.
pub(crate) const LVL_SOUND: i32 = 3;
/// "Does not match".
pub(crate) const NONE: i32 = i32::MIN;
/// Score of a record that a short digit term does not match (yet): kept as
/// a survivor, never a hit.
pub(crate) const SURVIVE: i32 = -100_000_000;
/// Sums at or below this contain a SURVIVE term.
pub(crate) const HIT_MIN: i32 = SURVIVE / 2;

fn field_rank(tag: u8) -> i32 {
    match tag {
        TAG_NAME => 8,
        TAG_PINYIN => 7,
        TAG_INITIALS => 6,
        TAG_CODE | TAG_PHONE | TAG_PLATE => 5,
        TAG_COMPANY | TAG_COMPANY_MID => 2,
        TAG_ADDRESS | TAG_ADDRESS_MID => 1,
        _ => 0,
    }
}

pub(crate) fn term_score(level: i32, tag: u8) -> i32 {
    level * 1000 + field_rank(tag) * 10
}

pub(crate) fn fuzzy_score(quality: i32) -> i32 {
    LVL_FUZZY * 1000 + quality.clamp(0, super::fuzzy::MAX_QUALITY) - FUZZY_PENALTY
}

/// A typo match: fewer edits first, then the whole key over a prefix.
pub(crate) fn typo_score(edits: u8, whole_key: bool) -> i32 {
    LVL_FUZZY * 1000 + 600 - 200 * i32::from(edits) + if whole_key { 100 } else { 0 } - TYPO_PENALTY
}

pub(crate) fn sound_score(whole_key: bool) -> i32 {
    term_score(LVL_SOUND + i32::from(whole_key), TAG_PINYIN)
}

/// What kind of match a term's score stands for (for telling the agent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    Exact,
    Sound,
    Fuzzy,
    Typo,
    None,
}

pub(crate) fn tier_of(score: i32) -> Tier {
    if score <= HIT_MIN {
        Tier::None
    } else if score < -(TYPO_PENALTY / 4) * 3 {
        Tier::Typo
    } else if score < 0 {
        Tier::Fuzzy
    } else if (LVL_SOUND * 1000..LVL_SUBSTRING * 1000).contains(&score) {
        Tier::Sound
    } else {
        Tier::Exact
    }
}

pub(crate) fn add_scores(a: i32, b: i32) -> i32 {
    a.saturating_add(b)
}

fn visible(flags: u8, include_confidential: bool) -> bool {
    flags & F_ALIVE != 0 && (include_confidential || flags & F_CONFIDENTIAL == 0)
}

/// Visible hits whose terms all matched exactly/prefix/substring, counted
/// up to `limit`.
pub(crate) fn count_exact_visible(
    store: &Store,
    survs: &[Surv],
    limit: usize,
    include_confidential: bool,
) -> usize {
    let mut n = 0;
    for c in survs {
        if c.sum() >= 0 && visible(store.flags[c.slot as usize], include_confidential) {
            n += 1;
            if n >= limit {
                break;
            }
        }
    }
    n
}

/// Ranking key: larger is better.
pub(crate) type Key = (i64, i64, Reverse<i64>, u32);

/// Bounded best-`limit` collector.
pub(crate) struct TopK<'a> {
    store: &'a Store,
    limit: usize,
    include_confidential: bool,
    heap: BinaryHeap<Reverse<Key>>,
    /// Visible hits offered.
    pub seen: usize,
}

impl<'a> TopK<'a> {
    pub(crate) fn new(store: &'a Store, limit: usize, include_confidential: bool) -> Self {
        TopK {
            store,
            limit,
            include_confidential,
            heap: BinaryHeap::with_capacity(limit + 1),
            seen: 0,
        }
    }

    /// Offers slot `s` with term-score sum `sum` (not a hit if <= HIT_MIN).
    #[inline]
    pub(crate) fn offer(&mut self, s: usize, sum: i32) {
        if sum <= HIT_MIN || self.limit == 0 {
            return;
        }
        let store = self.store;
        let flags = store.flags[s];
        if !visible(flags, self.include_confidential) {
            return;
        }
        self.seen += 1;
        let mut score = i64::from(sum);
        if flags & F_CLASS_A != 0 {
            score += CLASS_A_BONUS;
        }
        if self.heap.len() == self.limit
            && let Some(Reverse(min)) = self.heap.peek()
            && (score < min.0 || (score == min.0 && i64::from(store.last_contact[s]) < min.1))
        {
            return;
        }
        let key = (
            score,
            i64::from(store.last_contact[s]),
            Reverse(store.ids.at(s)),
            s as u32,
        );
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(key));
        } else if let Some(mut top) = self.heap.peek_mut()
            && key > top.0
        {
            *top = Reverse(key);
        }
    }

    pub(crate) fn into_keys(self) -> Vec<Key> {
        self.heap.into_iter().map(|Reverse(k)| k).collect()
    }
}

fn top_keys(store: &Store, survs: &[Surv], limit: usize, include_confidential: bool) -> Vec<Key> {
    let mut top = TopK::new(store, limit, include_confidential);
    for c in survs {
        top.offer(c.slot as usize, c.sum());
    }
    top.into_keys()
}

/// Top `limit` hits, best first, with field and name highlights.
pub(crate) fn hits_for(
    store: &Store,
    survs: &[Surv],
    plans: &[TermPlan],
    limit: usize,
    include_confidential: bool,
) -> Vec<Hit> {
    let top = super::scan::par_map(survs, 1 << 16, |part| {
        top_keys(store, part, limit, include_confidential)
    });
    hits_from_keys(store, best_keys(top, limit), plans)
}

/// Sorts candidate keys best first and keeps `limit`.
pub(crate) fn best_keys(mut top: Vec<Key>, limit: usize) -> Vec<Key> {
    top.sort_unstable_by(|a, b| b.cmp(a));
    top.truncate(limit);
    top
}

/// Builds hits (field, name highlights) for ranked keys.
pub(crate) fn hits_from_keys(store: &Store, top: Vec<Key>, plans: &[TermPlan]) -> Vec<Hit> {
    top.into_iter()
        .map(|(score, _, Reverse(id), slot)| {
            let s = slot as usize;
            // The key of the best-scoring term names the field.
            let best =
                plans
                    .iter()
                    .map(|p| eval_slot(store, p, true, s))
                    .fold(
                        Best::default(),
                        |a, b| if b.score > a.score { b } else { a },
                    );
            let name = store.name(s);
            Hit {
                id,
                score,
                field: tag_field(best.tag),
                name_matches: name_matches(&name, plans),
                name,
            }
        })
        .collect()
}
