//! Query parsing, the multi-term evaluation pipeline and [`Session`].

use memchr::memmem::Finder;

use super::arena::{Index, Store};
use super::fuzzy::{sound_form, typo_budget};
use super::keys::{TAG_ADDRESS, TAG_CODE, TAG_COMPANY, TAG_INITIALS, TAG_NAME, TAG_PINYIN};
use super::normalize::fold_str;
use super::rank::{NONE, SURVIVE, add_scores, count_exact_visible, hits_for, hits_from_keys};
use super::scan::{
    dense_better, dense_step, eval_slot, fuzzy_extend, par_map, prefix_tier, single_term_top,
};
use super::sorted::Sorted;
use super::{Hit, Reading};
use crate::domain::phone::written_in;

/// More terms than this are ignored (keeps score sums inside i32).
pub(crate) const MAX_TERMS: usize = 16;
/// Per-record evaluation is split over two threads above this many records.
const PAR_RECORDS: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    /// Only ASCII digits: phones (runs of >= 3), plates, codes (prefix),
    /// addresses; never fuzzy.
    Digits,
    /// ASCII with at least one non-digit: also fuzzy (if 2+ bytes).
    Ascii,
    /// Contains non-ASCII (Chinese): substring / prefix / exact only.
    NonAscii,
}

/// One normalised query term.
pub(crate) struct TermPlan {
    pub bytes: Vec<u8>,
    pub finder: Finder<'static>,
    /// Finds the term right after a code tag (codes match by prefix only).
    pub code_finder: Finder<'static>,
    /// `tag + term` finders for the prefix tier, indexed by tag.
    pub tag_finders: Vec<Option<Finder<'static>>>,
    pub kind: TermKind,
    /// Typos forgiven (letters-only terms of five letters or more).
    pub typo: u8,
    /// Southern-pinyin form, when that setting is on (letters only).
    pub sound: Option<Vec<u8>>,
    /// Typo matches among the slots the sorted lists cover, (slot, score,
    /// tag) by slot: looked up once per query and shared by the two
    /// threads of a scan and by every pass of the query.
    pub typo_hits: std::sync::OnceLock<Vec<(u32, i32, u8)>>,
}

impl TermPlan {
    fn new(t: String, opts: Options) -> Self {
        let kind = if t.bytes().all(|b| b.is_ascii_digit()) {
            TermKind::Digits
        } else if t.is_ascii() {
            TermKind::Ascii
        } else {
            TermKind::NonAscii
        };
        let bytes = t.into_bytes();
        let letters = bytes.len() >= 2 && bytes.iter().all(u8::is_ascii_lowercase);
        let typo = if letters { typo_budget(bytes.len()) } else { 0 };
        let sound = (letters && opts.fuzzy_pinyin).then(|| {
            let mut v = Vec::new();
            sound_form(&bytes, &mut v);
            v
        });
        let finder = Finder::new(&bytes).into_owned();
        let mut tagged = vec![TAG_CODE];
        tagged.extend_from_slice(&bytes);
        let code_finder = Finder::new(&tagged).into_owned();
        let tag_finders = (0..=TAG_ADDRESS)
            .map(|tag| {
                matches!(
                    tag,
                    TAG_NAME | TAG_PINYIN | TAG_INITIALS | TAG_COMPANY | TAG_ADDRESS
                )
                .then(|| {
                    tagged[0] = tag;
                    Finder::new(&tagged).into_owned()
                })
            })
            .collect();
        TermPlan {
            bytes,
            finder,
            code_finder,
            tag_finders,
            kind,
            typo,
            sound,
            typo_hits: std::sync::OnceLock::new(),
        }
    }

    /// Has a fuzzy tier (a single letter's fuzzy matches are its substring
    /// matches, so it has none).
    pub(crate) fn fuzzy_capable(&self) -> bool {
        self.kind == TermKind::Ascii && self.bytes.len() >= 2
    }

    /// 1–2 digits: may still become a phone match as the user types, so a
    /// record it does not match survives (with a non-hit score).
    pub(crate) fn short_digits(&self) -> bool {
        self.kind == TermKind::Digits && self.bytes.len() < 3
    }

    /// Score for the session/board given an evaluated score.
    fn adjust(&self, score: i32) -> i32 {
        if score == NONE && self.short_digits() {
            SURVIVE
        } else {
            score
        }
    }
}

/// Query options a search box carries (from the settings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Southern pinyin (模糊音): z/zh, c/ch, s/sh, n/l, f/h, r/l, an/ang,
    /// en/eng, in/ing count as equal (setting `search.fuzzy_pinyin`).
    pub fuzzy_pinyin: bool,
}

/// Reads the query: phone numbers as written (`+86 183 5465 1587`,
/// `(010) 8888-1234 转123`, see `domain::phone::written_in`) become one
/// digits term each; the rest splits on whitespace and each term is folded
/// (see `normalize`). A leading '+' before digits is dropped.
pub(crate) fn parse_terms(q: &str, opts: Options) -> (Vec<TermPlan>, Vec<Reading>) {
    let mut out = Vec::new();
    let mut readings = Vec::new();
    let mut at = 0;
    for w in written_in(q) {
        push_plain(&q[at..w.range.start], opts, &mut out);
        at = w.range.end;
        // Fewer than three digits after a country code match no phone
        // yet: no term (rather than one every record survives).
        if w.digits.len() >= 3 && out.len() < MAX_TERMS {
            readings.push(Reading::Phone {
                digits: w.digits.clone(),
                ext: w.ext,
                whole: w.whole,
            });
            out.push(TermPlan::new(w.digits, opts));
        }
    }
    push_plain(&q[at..], opts, &mut out);
    (out, readings)
}

/// Whitespace-separated terms of `text`, folded.
fn push_plain(text: &str, opts: Options, out: &mut Vec<TermPlan>) {
    for raw in text.split_whitespace() {
        let mut t = fold_str(raw);
        if let Some(rest) = t.strip_prefix('+')
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            t = rest.to_string();
        }
        if !t.is_empty() && out.len() < MAX_TERMS {
            out.push(TermPlan::new(t, opts));
        }
    }
}

/// A record matching every term (or surviving a short digit term), with the
/// score of the query's last term kept apart so that typing more of it only
/// re-evaluates that term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Surv {
    pub slot: u32,
    /// Sum of the scores of all terms but the last.
    pub fixed: i32,
    /// Score of the last term.
    pub last: i32,
}

impl Surv {
    pub(crate) fn sum(&self) -> i32 {
        add_scores(self.fixed, self.last)
    }
}

/// Where evaluation starts from.
enum Base<'a> {
    /// Every slot, no term known.
    All,
    /// Previous survivors; `add_last`: the previous last term is unchanged
    /// and now counts as fixed.
    Prev { survs: &'a [Surv], add_last: bool },
}

/// Evaluates the terms `todo` (indices into `plans`, a suffix ending with
/// the last term) over `base`; returns the records matching all terms.
fn evaluate(
    store: &Store,
    sorted: &Sorted,
    plans: &[TermPlan],
    todo: &[usize],
    base: Base<'_>,
    fuzzy: bool,
) -> Vec<Surv> {
    let Some(&last_t) = todo.last() else {
        return match base {
            Base::All => Vec::new(),
            Base::Prev { survs, .. } => survs.to_vec(),
        };
    };
    // Selective, complete terms first: digits / Chinese, then longer terms.
    let mut order = todo.to_vec();
    // Short digit terms never narrow (non-matching records survive): last.
    order.sort_by_key(|&i| {
        (
            plans[i].short_digits(),
            plans[i].fuzzy_capable(),
            std::cmp::Reverse(plans[i].bytes.len()),
        )
    });

    let mut cur: Option<Vec<Surv>> = match base {
        Base::Prev { survs, add_last } => Some(
            survs
                .iter()
                .map(|s| Surv {
                    slot: s.slot,
                    fixed: if add_last { s.sum() } else { s.fixed },
                    last: 0,
                })
                .collect(),
        ),
        Base::All => None,
    };
    // Dense phase: whole-arena passes while they cost less than
    // evaluating the remaining candidates one by one.
    let mut k = 0;
    while k < order.len() {
        let t = order[k];
        let plan = &plans[t];
        if let Some(c) = &cur
            && !dense_better(store, plan, fuzzy, c.len())
        {
            break;
        }
        let next = dense_step(
            store,
            sorted,
            plan,
            fuzzy,
            cur.as_deref(),
            t == last_t,
            |s| plan.adjust(s),
        );
        cur = Some(next);
        k += 1;
    }
    let mut cur = cur.unwrap_or_default();
    // Sparse phase: remaining terms per record.
    for &t in &order[k..] {
        let plan = &plans[t];
        cur = par_map(&cur, PAR_RECORDS, |part| {
            part.iter()
                .filter_map(|c| {
                    let score = plan.adjust(eval_slot(store, plan, fuzzy, c.slot as usize).score);
                    if score == NONE {
                        return None;
                    }
                    let mut c = *c;
                    if t == last_t {
                        c.last = score;
                    } else {
                        c.fixed = add_scores(c.fixed, score);
                    }
                    Some(c)
                })
                .collect()
        });
        if cur.is_empty() {
            break;
        }
    }
    cur
}

/// Incremental search state for one search box.
///
/// Remembers the records that survived the previous query (with the score of
/// every term but the one being typed). When the next query extends it (more
/// characters in the last term, or more terms), only those survivors are
/// rescanned, and only for the changed term; anything else is a full scan.
/// Survivors are tied to the index instance and its generation, so any
/// `upsert`, `remove` or compaction makes the next keystroke a full scan.
#[derive(Debug, Default)]
pub struct Session {
    instance: u64,
    generation: u64,
    terms: Vec<(Vec<u8>, TermKind)>,
    /// Typo budget of the previous query's last term: survivors computed
    /// with a smaller one lack the typo matches of a larger one.
    last_budget: u8,
    opts: Options,
    reading: Vec<Reading>,
    survivors: Option<Vec<Surv>>,
    /// Survivors include fuzzy matches (else only exact/prefix/substring).
    fuzzy_complete: bool,
    narrowed: bool,
    scanned: usize,
    /// Tests compare the shortcuts (prefix tier, sorted keys, fuzzy-only
    /// extension) against the plain full evaluation.
    reference: bool,
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    /// A session that takes no shortcut: full arena passes only.
    #[cfg(test)]
    pub(crate) fn reference() -> Self {
        Session {
            reference: true,
            ..Session::default()
        }
    }

    /// Sets the query options (the settings); a change forgets the
    /// previous query.
    pub fn set_options(&mut self, opts: Options) {
        if opts != self.opts {
            self.opts = opts;
            self.reset();
        }
    }

    /// How the last query was read, where that is not obvious: written
    /// phone numbers taken as digits, terms that matched the best hit only
    /// with a typo or by southern pinyin.
    pub fn reading(&self) -> &[Reading] {
        &self.reading
    }

    /// Forgets the previous query (the next one is a full scan).
    pub fn reset(&mut self) {
        self.terms.clear();
        self.survivors = None;
        self.fuzzy_complete = false;
    }

    /// Whether the last `query` rescanned only the previous survivors.
    pub fn last_was_narrowed(&self) -> bool {
        self.narrowed
    }

    /// Number of records the last `query` started from (all slots for a
    /// full scan).
    pub fn last_candidates(&self) -> usize {
        self.scanned
    }

    /// Number of records kept for narrowing the next keystroke.
    pub fn survivors(&self) -> usize {
        self.survivors.as_ref().map_or(0, Vec::len)
    }

    /// If `new` only adds constraints to the previous terms: the index of
    /// the first term that must be evaluated, and whether the previous last
    /// term is unchanged.
    fn extension(&self, new: &[TermPlan]) -> Option<(usize, bool)> {
        let old = &self.terms;
        let ((last, last_kind), head) = old.split_last()?;
        if new.len() < old.len() || head.iter().zip(new).any(|((o, _), n)| *o != n.bytes) {
            return None;
        }
        let k = old.len() - 1;
        let n = &new[k];
        // A digits-only term is never fuzzy, so its survivors do not cover
        // fuzzy matches of a term that stops being digits-only.
        if !n.bytes.starts_with(last)
            || (*last_kind == TermKind::Digits && n.kind != TermKind::Digits)
        {
            return None;
        }
        if n.bytes == *last {
            if new.len() == old.len() {
                return Some((new.len(), false)); // same terms
            }
            return Some((k + 1, true));
        }
        Some((k, false))
    }

    /// Searches `index`. Terms (split on whitespace) are ANDed; see the
    /// module docs for matching and ranking.
    pub fn query(
        &mut self,
        index: &Index,
        q: &str,
        limit: usize,
        include_confidential: bool,
    ) -> Vec<Hit> {
        let (plans, reading) = parse_terms(q, self.opts);
        self.reading = reading;
        self.narrowed = false;
        if plans.is_empty() || limit == 0 {
            self.reset();
            self.scanned = 0;
            return Vec::new();
        }
        let hits = self.run(index, q, &plans, limit, include_confidential);
        self.last_budget = plans.last().map_or(0, |p| p.typo);
        if let Some(slot) = hits.first().and_then(|h| index.slot(h.id)) {
            let more = super::scan::explain(&index.store, &plans, slot as usize);
            self.reading.extend(more);
        }
        hits
    }

    fn run(
        &mut self,
        index: &Index,
        q: &str,
        plans: &[TermPlan],
        limit: usize,
        include_confidential: bool,
    ) -> Vec<Hit> {
        let store = &index.store;
        let all: Vec<usize> = (0..plans.len()).collect();
        let same = self.instance == index.instance && self.generation == index.generation;
        let prev = self.survivors.take();
        let ext = if same { self.extension(plans) } else { None };
        if let Some((from, _)) = ext
            && from + 1 == plans.len()
            && plans[from].typo > self.last_budget
        {
            // The last term now forgives more typos than its survivors do.
            self.fuzzy_complete = false;
        }
        let (base_survs, from, add_last) = match (&prev, ext) {
            (Some(s), Some((from, add_last))) => (Some(s.as_slice()), from, add_last),
            _ => (None, 0, false),
        };
        fn base(survs: Option<&[Surv]>, add_last: bool) -> Base<'_> {
            match survs {
                Some(survs) => Base::Prev { survs, add_last },
                None => Base::All,
            }
        }
        self.narrowed = base_survs.is_some();
        self.scanned = base_survs.map_or(store.slots(), <[Surv]>::len);
        let todo = &all[from..];
        // A space after the only term says another term is coming: then
        // the complete matches of this one are worth computing now, so that
        // the next keystroke narrows them instead of scanning everything.
        let more_coming = q.ends_with(char::is_whitespace);
        if plans.len() == 1 && !self.reference && !more_coming {
            // One term: if the exact/prefix tier alone fills the page, no
            // substring or fuzzy hit can rank on it. Survivors are not kept
            // (the next keystroke runs this cheap tier again).
            let plan = &plans[0];
            let top = if plan.fuzzy_capable() {
                prefix_tier(store, &index.sorted, plan, limit, include_confidential)
                    .map(|t| (t, None))
            } else {
                Some(single_term_top(
                    store,
                    &index.sorted,
                    plan,
                    limit,
                    include_confidential,
                ))
            };
            if let Some((top, survivors)) = top {
                // Complete survivors of a term without a fuzzy tier.
                self.fuzzy_complete = survivors.is_some();
                self.survivors = survivors;
                self.narrowed = false;
                self.scanned = store.slots();
                self.terms = plans.iter().map(|p| (p.bytes.clone(), p.kind)).collect();
                self.instance = index.instance;
                self.generation = index.generation;
                return hits_from_keys(store, top, plans);
            }
        }
        let base_complete = base_survs.is_none() || self.fuzzy_complete;
        let mut survs = evaluate(
            store,
            &index.sorted,
            plans,
            todo,
            base(base_survs, add_last),
            false,
        );
        let mut complete = base_complete && todo.iter().all(|&t| !plans[t].fuzzy_capable());
        let any_fuzzy = plans.iter().any(TermPlan::fuzzy_capable);
        if any_fuzzy
            && !complete
            && count_exact_visible(store, &survs, limit, include_confidential) < limit
        {
            // Too few exact/prefix/substring hits: add the fuzzy tier.
            survs = if base_survs.is_some() && self.fuzzy_complete {
                evaluate(
                    store,
                    &index.sorted,
                    plans,
                    todo,
                    base(base_survs, add_last),
                    true,
                )
            } else if base_survs.is_none() && plans.len() == 1 && !self.reference {
                // `survs` holds every exact/prefix/substring match of the
                // one term: only the fuzzy pass is missing.
                fuzzy_extend(store, &index.sorted, &plans[0], &survs)
            } else {
                self.narrowed = false;
                self.scanned = store.slots();
                evaluate(store, &index.sorted, plans, &all, Base::All, true)
            };
            complete = true;
        }
        let hits = hits_for(store, &survs, plans, limit, include_confidential);
        self.survivors = Some(survs);
        self.fuzzy_complete = complete;
        self.terms = plans.iter().map(|p| (p.bytes.clone(), p.kind)).collect();
        self.instance = index.instance;
        self.generation = index.generation;
        hits
    }
}
