//! Arena scans: find the records a term matches, with their scores.
//!
//! [`eval_range`] scans a slot range of every arena the term can match:
//! one `memchr`/`memmem` pass per arena; the byte before an occurrence says
//! whether it starts a key, the byte after whether it ends one, so scoring an
//! occurrence is a few loads. The optional fuzzy pass (memchr for the first
//! byte, then a subsequence check inside that key) only visits records the
//! exact pass did not match. Results go to a [`Sink`]: a dense score board
//! for full scans ([`dense_term`]) or a single record ([`eval_slot`]).
//!
//! Why one file of ~1,200 lines (issue 13 asks for a reason past ~600):
//! these are the engine's hot loops and the byte-level helpers they
//! inline (`key_start`, `next_tag`, `locate`); kept together, the cost of
//! a keystroke at 1M customers is read in one place, and every helper
//! stays private to the loops that rely on its exact boundary rules.

use memchr::memchr;

use super::arena::{Arena, Offsets, Store, fold16, letter_mask};
use super::fuzzy;
use super::keys::{
    ADDRESS, CODES, COMPANY, HIDDEN, MATCH_MIN, NAMES, PHONES, PINYIN, PLATES, TAG_ADDRESS,
    TAG_CODE, TAG_COMPANY, TAG_INITIALS, TAG_LIMIT, TAG_NAME, TAG_PHONE, TAG_PINYIN, TAG_PLATE,
    TEXT_ASCII, text_aligned, text_bytes,
};
use super::query::{Surv, TermKind, TermPlan};
use super::rank::{
    Key, LVL_EXACT_KEY, LVL_EXACT_NAME, LVL_PREFIX, LVL_SUBSTRING, NONE, Tier, TopK, add_scores,
    best_keys, fuzzy_score, sound_score, term_score, tier_of, typo_score,
};
use super::sorted::Sorted;

/// Dense scans above this many bytes are split over two threads.
#[cfg(not(test))]
const PARALLEL_BYTES: usize = 1 << 20;
/// Small in tests so that the two-thread split is exercised.
#[cfg(test)]
const PARALLEL_BYTES: usize = 2 << 10;

/// Receives scored occurrences.
pub(crate) trait Sink {
    /// Already matched exactly (the fuzzy pass skips it).
    fn matched(&self, slot: usize) -> bool;
    /// Whether the record is a candidate at all (scans skip it if not).
    #[inline]
    fn wants(&self, _slot: usize) -> bool {
        true
    }
    fn put(&mut self, slot: usize, score: i32, tag: u8);
}

/// One bit per slot.
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    pub(crate) fn of(n: usize, slots: impl Iterator<Item = usize>) -> Bits {
        let mut v = vec![0u64; n.div_ceil(64)];
        for s in slots {
            if let Some(w) = v.get_mut(s / 64) {
                *w |= 1 << (s % 64);
            }
        }
        Bits(v)
    }

    #[inline]
    fn has(&self, s: usize) -> bool {
        self.0.get(s / 64).is_some_and(|w| w >> (s % 64) & 1 == 1)
    }
}

/// A board restricted to candidate slots.
struct CandBoard<'a> {
    board: Board<'a>,
    cand: &'a Bits,
}

impl Sink for CandBoard<'_> {
    #[inline]
    fn matched(&self, slot: usize) -> bool {
        self.board.matched(slot)
    }
    #[inline]
    fn wants(&self, slot: usize) -> bool {
        self.cand.has(slot)
    }
    #[inline]
    fn put(&mut self, slot: usize, score: i32, tag: u8) {
        self.board.put(slot, score, tag)
    }
}

/// Dense board over slots `lo..lo + buf.len()`: best score per slot.
struct Board<'a> {
    lo: usize,
    buf: &'a mut [i32],
}

impl Sink for Board<'_> {
    #[inline]
    fn matched(&self, slot: usize) -> bool {
        self.buf[slot - self.lo] >= 0
    }
    #[inline]
    fn put(&mut self, slot: usize, score: i32, _tag: u8) {
        let b = &mut self.buf[slot - self.lo];
        if score > *b {
            *b = score;
        }
    }
}

/// Best score (and the key it came from) of one record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Best {
    pub score: i32,
    pub tag: u8,
}

impl Default for Best {
    fn default() -> Self {
        Best {
            score: NONE,
            tag: 0,
        }
    }
}

impl Sink for Best {
    fn matched(&self, _slot: usize) -> bool {
        self.score >= 0
    }
    fn put(&mut self, _slot: usize, score: i32, tag: u8) {
        if score > self.score {
            self.score = score;
            self.tag = tag;
        }
    }
}

/// Arenas a term is searched in (exact / prefix / substring).
fn arenas_for(plan: &TermPlan) -> &'static [usize] {
    match plan.kind {
        TermKind::Digits if plan.bytes.len() >= 3 => &[NAMES, PHONES, PLATES, CODES, TEXT_ASCII],
        // Runs of fewer than 3 digits never match phones.
        TermKind::Digits => &[NAMES, PLATES, CODES, TEXT_ASCII],
        TermKind::Ascii => &[NAMES, PINYIN, PLATES, CODES, TEXT_ASCII],
        TermKind::NonAscii => &[NAMES, PLATES, CODES, COMPANY, ADDRESS],
    }
}

/// Arenas searched by the fuzzy pass (their letters make up the records'
/// letter masks, see `arena::letter_mask`).
const FUZZY_ARENAS: [usize; 3] = [NAMES, PINYIN, PLATES];

/// Largest `t` in `[s, hi)` with `off.at(t) <= p`, galloping from `s`
/// (`off.at(s) <= p` holds on entry). Amortised O(1) for dense hits.
#[inline]
fn locate(off: &Offsets, s: usize, hi: usize, p: usize) -> usize {
    if s + 1 >= hi || off.at(s + 1) > p {
        return s;
    }
    let mut lo = s + 1;
    let mut step = 1;
    while lo + step < hi && off.at(lo + step) <= p {
        lo += step;
        step *= 2;
    }
    // off.at(lo) <= p < off.at(upper) (or upper == hi): binary search.
    let mut upper = (lo + step).min(hi);
    while upper - lo > 1 {
        let mid = lo + (upper - lo) / 2;
        if off.at(mid) <= p {
            lo = mid;
        } else {
            upper = mid;
        }
    }
    lo
}

/// Walks back from a searchable byte to its key's first byte.
#[inline]
fn key_start(b: &[u8], rec_start: usize, p: usize) -> usize {
    let mut ks = p;
    while ks > rec_start && b[ks - 1] >= MATCH_MIN {
        ks -= 1;
    }
    ks
}

/// Scores an occurrence of an `m`-byte term at `p` in record `[rs, re)`.
#[inline]
pub(crate) fn classify(b: &[u8], rs: usize, re: usize, p: usize, m: usize) -> Option<(i32, u8)> {
    let ks = key_start(b, rs, p);
    if ks == rs {
        return None; // malformed record: no tag
    }
    let tag = b[ks - 1];
    if tag >= TAG_LIMIT {
        return None;
    }
    let after = p + m;
    let at_end = after >= re || b[after] < MATCH_MIN;
    let prefix = p == ks;
    let level = match tag {
        TAG_NAME | TAG_PINYIN | TAG_INITIALS => {
            if prefix && at_end {
                LVL_EXACT_NAME
            } else if prefix {
                LVL_PREFIX
            } else {
                LVL_SUBSTRING
            }
        }
        TAG_PLATE => {
            // "b12345" is a prefix of / the whole of "粤b12345".
            let lead = b[ks];
            let alt = if lead >= 0xC0 {
                ks + (lead.leading_ones() as usize).clamp(2, 4)
            } else {
                ks
            };
            let pre = prefix || p == alt;
            if pre && at_end {
                LVL_EXACT_KEY
            } else if pre {
                LVL_PREFIX
            } else {
                LVL_SUBSTRING
            }
        }
        TAG_CODE => {
            if prefix && at_end {
                LVL_EXACT_KEY
            } else if prefix {
                LVL_PREFIX
            } else {
                return None; // codes match exactly or by prefix only
            }
        }
        TAG_PHONE => {
            // +86 13800138000 is stored as 8613800138000.
            let intl =
                p == ks + 2 && at_end && after - ks == 13 && b[ks] == b'8' && b[ks + 1] == b'6';
            if (prefix && at_end) || intl {
                LVL_EXACT_KEY
            } else if prefix {
                LVL_PREFIX
            } else {
                LVL_SUBSTRING
            }
        }
        // Company/address (whole or ASCII run); *_MID runs are never prefixes.
        TAG_COMPANY | TAG_ADDRESS if prefix => LVL_PREFIX,
        _ => LVL_SUBSTRING,
    };
    Some((term_score(level, tag), tag))
}

/// Start of the part of a plate after its province character.
#[inline]
fn plate_alt(b: &[u8], ks: usize) -> usize {
    let lead = b[ks];
    if lead >= 0xC0 {
        ks + (lead.leading_ones() as usize).clamp(2, 4)
    } else {
        ks
    }
}

/// First tag byte (`< TAG_LIMIT`) in `b[from..to]`, eight bytes at a time.
#[inline]
fn next_tag(b: &[u8], mut from: usize, to: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while from + 8 <= to {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[from..from + 8]);
        let x = u64::from_le_bytes(w);
        // Bytes < TAG_LIMIT (<= 128) have their high bit set in this mask.
        let m = x.wrapping_sub(ONES * u64::from(TAG_LIMIT)) & !x & HIGH;
        if m != 0 {
            return Some(from + (m.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    (from..to).find(|&i| b[i] < TAG_LIMIT)
}

#[inline]
fn starts_with_at(b: &[u8], at: usize, re: usize, t: &[u8]) -> bool {
    at + t.len() <= re && b[at] == t[0] && &b[at..at + t.len()] == t
}

/// The term as the company and address arenas hold it (GB18030, see
/// `keys::text_bytes`); `None` for the other arenas.
fn text_term(arena: usize, plan: &TermPlan) -> Option<Vec<u8>> {
    matches!(arena, COMPANY | ADDRESS).then(|| text_bytes(&plan.bytes))
}

/// Exact/prefix/substring scan of slots `[lo, hi)` of one arena.
///
/// Only the first occurrence in a record is found by searching: after it,
/// only a key *start* can score better (keys are stored in decreasing field
/// rank within an arena), so the remaining key starts are compared directly
/// and the search resumes at the next record.
fn scan_arena(
    ar: &Arena,
    arena: usize,
    lo: usize,
    hi: usize,
    plan: &TermPlan,
    sink: &mut impl Sink,
) {
    let (b, off) = (&ar.bytes, &ar.off);
    let text = text_term(arena, plan);
    let text_finder = text.as_deref().map(memchr::memmem::Finder::new);
    let t = text.as_deref().unwrap_or(&plan.bytes);
    let m = t.len();
    let end = off.at(hi);
    let mut pos = off.at(lo);
    let mut s = lo;
    // Codes match by prefix only: search for tag + term.
    let (finder, shift) = match &text_finder {
        Some(f) => (f, 0),
        None if arena == CODES => (&plan.code_finder, 1),
        None => (&plan.finder, 0),
    };
    let single = (m == 1 && arena != CODES).then(|| t[0]);
    while pos < end {
        let hay = &b[pos..end];
        let found = match single {
            Some(c) => memchr(c, hay),
            None => finder.find(hay),
        };
        let Some(rel) = found else {
            break;
        };
        let p = pos + rel + shift;
        s = locate(off, s, hi, p);
        let (rs, re) = (off.at(s), off.at(s + 1));
        if !sink.wants(s) {
            pos = re.max(p + 1);
            continue;
        }
        if text.is_some() && !text_aligned(b, key_start(b, rs, p), p) {
            // Inside a character: look on in this record.
            pos = p + 1;
            continue;
        }
        if let Some((score, tag)) = classify(b, rs, re, p, m) {
            sink.put(s, score, tag);
            if tag == TAG_PLATE {
                let ks = key_start(b, rs, p);
                let alt = plate_alt(b, ks);
                if alt > p
                    && starts_with_at(b, alt, re, t)
                    && let Some((score, tag)) = classify(b, rs, re, alt, m)
                {
                    sink.put(s, score, tag);
                }
            }
        }
        // Later keys of this record: prefix / exact candidates only
        // (names and codes hold one key per record).
        let mut i = if arena == NAMES || arena == CODES {
            re
        } else {
            p + 1
        };
        while let Some(ti) = next_tag(b, i, re) {
            i = ti + 1;
            let ks = ti + 1;
            let mut at = [ks, ks];
            if b[ti] == TAG_PLATE && ks < re {
                at[1] = plate_alt(b, ks);
            }
            for (j, &a) in at.iter().enumerate() {
                if (j == 0 || a != ks)
                    && starts_with_at(b, a, re, t)
                    && let Some((score, tag)) = classify(b, rs, re, a, m)
                {
                    sink.put(s, score, tag);
                }
            }
        }
        pos = re.max(p + 1);
    }
}

/// Fuzzy scan of slots `[lo, hi)`: records already matched exactly are
/// skipped, and so are the keys (names and pinyin, or plates) whose letter
/// mask lacks a letter of the term; in the others, memchr finds the term's
/// first byte and the key it falls in is scored. Typo and southern-pinyin
/// matches (see [`other_keys`]) run in the same pass, on records whose mask
/// lacks at most the typo budget's letters of the term, or holds every
/// letter of its sound form.
///
/// With `sorted`, typo matches of the slots its lists cover are looked up
/// there instead ([`typo_sorted`]): far cheaper than a per-record check of
/// every key in a full scan.
fn scan_fuzzy(
    store: &Store,
    lo: usize,
    hi: usize,
    plan: &TermPlan,
    sink: &mut impl Sink,
    sorted: Option<&Sorted>,
) {
    let Some(&first) = plan.bytes.first() else {
        return;
    };
    // Slots below this get their typo matches from the sorted lists.
    let mut typo_from = lo;
    if let Some(sorted) = sorted
        && plan.typo > 0
    {
        typo_from = sorted.upto.clamp(lo, hi);
        typo_sorted(store, sorted, plan, lo, typo_from, sink);
    }
    let need = letter_mask(&plan.bytes);
    let need16 = fold16(need);
    let sound_need = plan.sound.as_deref().map(letter_mask);
    let mut buf = Vec::with_capacity(64);
    for s in lo..hi {
        let (names, plates) = store.masks_of(s);
        let missing = (need & !names).count_ones();
        let (in_names, in_plates) = (missing == 0, plates & need16 == need16);
        let typo = missing <= u32::from(plan.typo) && plan.typo > 0 && s >= typo_from;
        let sound = sound_need.is_some_and(|n| n & !sound_mask(names) == 0);
        if !(in_names || in_plates || typo || sound) || !sink.wants(s) || sink.matched(s) {
            continue;
        }
        for a in FUZZY_ARENAS {
            if (a == PLATES && !in_plates) || (a != PLATES && !in_names) {
                continue;
            }
            let ar = &store.arenas[a];
            fuzzy_record(
                &ar.bytes,
                ar.off.at(s),
                ar.off.at(s + 1),
                first,
                plan,
                s,
                sink,
            );
        }
        if typo || sound {
            other_keys(store, s, plan, typo, sound, &mut buf, |score, tag, _| {
                sink.put(s, score, tag)
            });
        }
    }
}

/// Every one-edit variant of a letters-only term whose first letter is the
/// term's first or second (the rule of `fuzzy::typo_match`): a key that
/// starts with one of them is a typo match, and the whole key if it is one.
fn typo_variants(t: &[u8]) -> Vec<Vec<u8>> {
    let m = t.len();
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(60 * m);
    let (t0, t1) = (t[0], t[1]);
    for i in 0..m {
        let mut v = t.to_vec();
        v.remove(i);
        out.push(v);
        if i + 1 < m && t[i] != t[i + 1] {
            let mut v = t.to_vec();
            v.swap(i, i + 1);
            out.push(v);
        }
    }
    for i in 0..=m {
        for c in b'a'..=b'z' {
            if i < m && c != t[i] && (i > 0 || c == t1) {
                let mut v = t.to_vec();
                v[i] = c;
                out.push(v);
            }
            if i > 0 || c == t1 {
                let mut v = t.to_vec();
                v.insert(i, c);
                out.push(v);
            }
        }
    }
    out.retain(|v| v.first().is_some_and(|&f| f == t0 || f == t1));
    out.sort_unstable();
    out.dedup();
    out
}

/// Typo matches of `plan` among slots `[lo, hi)` (below `sorted.upto`),
/// from the sorted full-pinyin and name lists: one prefix lookup per
/// variant of the term, done once per query (`TermPlan::typo_hits`).
fn typo_sorted(
    store: &Store,
    sorted: &Sorted,
    plan: &TermPlan,
    lo: usize,
    hi: usize,
    sink: &mut impl Sink,
) {
    if lo >= hi || plan.typo == 0 || plan.bytes.len() < 2 {
        return;
    }
    let hits = plan
        .typo_hits
        .get_or_init(|| typo_lookup(store, sorted, plan));
    let from = hits.partition_point(|h| (h.0 as usize) < lo);
    for &(s, score, tag) in &hits[from..] {
        let s = s as usize;
        if s >= hi {
            break;
        }
        if sink.wants(s) {
            sink.put(s, score, tag);
        }
    }
}

/// Every typo match in the sorted lists, by slot (best score per slot).
fn typo_lookup(store: &Store, sorted: &Sorted, plan: &TermPlan) -> Vec<(u32, i32, u8)> {
    struct Typos {
        out: Vec<(u32, i32, u8)>,
    }
    impl Sink for Typos {
        fn matched(&self, _slot: usize) -> bool {
            false
        }
        fn put(&mut self, slot: usize, score: i32, tag: u8) {
            if matches!(tag, TAG_PINYIN | TAG_NAME) {
                // The lists score a key equal to the variant as exact.
                let whole = score >= term_score(LVL_EXACT_NAME, tag);
                self.out.push((slot as u32, typo_score(1, whole), tag));
            }
        }
    }
    let mut typos = Typos { out: Vec::new() };
    for v in typo_variants(&plan.bytes) {
        for arena in [PINYIN, NAMES] {
            sorted.prefix_hits(store, arena, &v, &mut typos);
        }
    }
    let mut out = typos.out;
    // Best first within a slot, then one entry per slot.
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    out.dedup_by_key(|h| h.0);
    out
}

/// Letters a key's southern-pinyin form can hold, from the key's mask:
/// l and r become n (r stays after e), h becomes f.
fn sound_mask(m: u32) -> u32 {
    let (l, r, h) = (letter_mask(b"l"), letter_mask(b"r"), letter_mask(b"h"));
    let mut out = m & !(l | h);
    if m & (l | r) != 0 {
        out |= letter_mask(b"n");
    }
    if m & h != 0 {
        out |= letter_mask(b"f");
    }
    out
}

/// Typo matches (full pinyin and Latin names, `fuzzy::typo_match`) and
/// southern-pinyin matches (full pinyin, `fuzzy::sound_form`) of record
/// `s`: `put(score, tag, key)` for each.
fn other_keys(
    store: &Store,
    s: usize,
    plan: &TermPlan,
    typo: bool,
    sound: bool,
    buf: &mut Vec<u8>,
    mut put: impl FnMut(i32, u8, &[u8]),
) {
    for a in [NAMES, PINYIN] {
        let ar = &store.arenas[a];
        let (b, rs, re) = (&ar.bytes, ar.off.at(s), ar.off.at(s + 1));
        let mut i = rs;
        while let Some(ti) = next_tag(b, i, re) {
            i = ti + 1;
            let tag = b[ti];
            // Most keys are ruled out by their tag and first byte, before
            // their end is looked for: a typo match starts with the term's
            // first or second letter, a sound match with its sound form's
            // first letter.
            let first = b.get(ti + 1).copied().unwrap_or(0);
            let typo_here = typo
                && (tag == TAG_PINYIN || (tag == TAG_NAME && first < 0x80))
                && plan.bytes.get(..2).is_some_and(|t| t.contains(&first));
            let sound_here = sound
                && tag == TAG_PINYIN
                && plan
                    .sound
                    .as_deref()
                    .and_then(|f| f.first())
                    .is_some_and(|&f| {
                        f == first
                            || (f == b'n' && matches!(first, b'l' | b'r'))
                            || (f == b'f' && first == b'h')
                    });
            if !(typo_here || sound_here) {
                continue;
            }
            let ks = ti + 1;
            let mut ke = ks;
            while ke < re && b[ke] >= MATCH_MIN {
                ke += 1;
            }
            i = ke.max(ks);
            let key = &b[ks..ke];
            if typo_here
                && key.is_ascii()
                && let Some(t) = fuzzy::typo_match(key, &plan.bytes, plan.typo)
            {
                put(typo_score(t.edits, t.len == key.len()), tag, key);
            }
            if sound_here && let Some(form) = plan.sound.as_deref() {
                fuzzy::sound_form(key, buf);
                if buf.starts_with(form) {
                    put(sound_score(buf.len() == form.len()), tag, key);
                }
            }
        }
    }
}

/// What the agent should be told about how the terms matched record
/// `slot`: a term whose best match there is a typo or a southern-pinyin
/// one, with the key it matched.
pub(crate) fn explain(store: &Store, plans: &[TermPlan], slot: usize) -> Vec<super::Reading> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for plan in plans {
        if plan.typo == 0 && plan.sound.is_none() {
            continue;
        }
        let tier = tier_of(eval_slot(store, plan, true, slot).score);
        if tier != Tier::Typo && tier != Tier::Sound {
            continue;
        }
        let mut best: Option<(i32, String)> = None;
        other_keys(
            store,
            slot,
            plan,
            tier == Tier::Typo,
            tier == Tier::Sound,
            &mut buf,
            |score, _, key| {
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, String::from_utf8_lossy(key).into_owned()));
                }
            },
        );
        let term = String::from_utf8_lossy(&plan.bytes).into_owned();
        if let Some((_, key)) = best {
            out.push(if tier == Tier::Typo {
                super::Reading::Typo { term, key }
            } else {
                super::Reading::Sound { term, key }
            });
        }
    }
    out
}

/// Fuzzy-scores every key of record `[rs, re)` that holds `first`.
#[inline]
fn fuzzy_record(
    b: &[u8],
    rs: usize,
    re: usize,
    first: u8,
    plan: &TermPlan,
    s: usize,
    sink: &mut impl Sink,
) {
    let mut pos = rs;
    while pos < re {
        let Some(rel) = memchr(first, &b[pos..re]) else {
            break;
        };
        let p = pos + rel;
        let ks = key_start(b, rs, p);
        let mut ke = p;
        while ke < re && b[ke] >= MATCH_MIN {
            ke += 1;
        }
        pos = ke.max(p + 1);
        if ks == rs {
            continue;
        }
        let tag = b[ks - 1];
        let key = &b[ks..ke];
        let eligible = match tag {
            TAG_PINYIN | TAG_INITIALS | TAG_PLATE => true,
            TAG_NAME => key.is_ascii(),
            _ => false,
        };
        if !eligible {
            continue;
        }
        let mut he = ke;
        while he < re && (HIDDEN..MATCH_MIN).contains(&b[he]) {
            he += 1;
        }
        if let Some(q) = fuzzy::quality(key, &b[ke..he], &plan.bytes) {
            sink.put(s, fuzzy_score(q), tag);
        }
    }
}

/// Scores `plan` on slots `[lo, hi)` into `sink` (`sorted`: see
/// [`scan_fuzzy`]).
pub(crate) fn eval_range(
    store: &Store,
    plan: &TermPlan,
    fuzzy: bool,
    lo: usize,
    hi: usize,
    sink: &mut impl Sink,
    sorted: Option<&Sorted>,
) {
    if lo >= hi {
        return;
    }
    for &a in arenas_for(plan) {
        scan_arena(&store.arenas[a], a, lo, hi, plan, sink);
    }
    if fuzzy && plan.fuzzy_capable() {
        scan_fuzzy(store, lo, hi, plan, sink, sorted);
    }
}

/// Best score of `plan` on one record.
pub(crate) fn eval_slot(store: &Store, plan: &TermPlan, fuzzy: bool, slot: usize) -> Best {
    let mut best = Best::default();
    eval_range(store, plan, fuzzy, slot, slot + 1, &mut best, None);
    best
}

/// One dense step: scans every slot for `plan` (whole-arena passes, two
/// threads when large) and applies the score to `cur` (`None`: every slot is
/// a candidate with nothing known yet). `adjust` maps the raw score
/// (`NONE` = no match) to the stored one; `is_last`: the score goes to
/// `Surv::last`, else it is added to `Surv::fixed`.
pub(crate) fn dense_step(
    store: &Store,
    sorted: &Sorted,
    plan: &TermPlan,
    fuzzy: bool,
    cur: Option<&[Surv]>,
    is_last: bool,
    adjust: impl Fn(i32) -> i32 + Sync,
) -> Vec<Surv> {
    let n = store.slots();
    // Hits in records that are not candidates are skipped before scoring.
    let cand = cur.map(|c| Bits::of(n, c.iter().map(|x| x.slot as usize)));
    let half = |lo: usize, hi: usize| -> Vec<Surv> {
        let mut board = vec![NONE; hi - lo];
        let b = Board {
            lo,
            buf: &mut board,
        };
        match &cand {
            Some(cand) => eval_range(
                store,
                plan,
                fuzzy,
                lo,
                hi,
                &mut CandBoard { board: b, cand },
                Some(sorted),
            ),
            None => eval_range(store, plan, fuzzy, lo, hi, &mut { b }, Some(sorted)),
        }
        let apply = |mut c: Surv, score: i32| {
            if is_last {
                c.last = score;
            } else {
                c.fixed = add_scores(c.fixed, score);
            }
            c
        };
        match cur {
            None => board
                .iter()
                .enumerate()
                .filter_map(|(i, &raw)| {
                    let score = adjust(raw);
                    (score != NONE).then(|| {
                        apply(
                            Surv {
                                slot: (lo + i) as u32,
                                fixed: 0,
                                last: 0,
                            },
                            score,
                        )
                    })
                })
                .collect(),
            Some(c) => {
                let a = c.partition_point(|x| (x.slot as usize) < lo);
                let b = c.partition_point(|x| (x.slot as usize) < hi);
                c[a..b]
                    .iter()
                    .filter_map(|x| {
                        let score = adjust(board[x.slot as usize - lo]);
                        (score != NONE).then(|| apply(*x, score))
                    })
                    .collect()
            }
        }
    };
    let bytes: usize = arenas_for(plan)
        .iter()
        .map(|&a| store.arenas[a].bytes.len())
        .sum();
    if bytes < PARALLEL_BYTES || n < 2 {
        return half(0, n);
    }
    let mid = n / 2;
    std::thread::scope(|sc| {
        let h = sc.spawn(|| half(mid, n));
        let mut left = half(0, mid);
        match h.join() {
            Ok(right) => {
                left.extend(right);
                left
            }
            Err(e) => std::panic::resume_unwind(e),
        }
    })
}

/// Whether one whole-arena pass of `plan` costs less than evaluating
/// `candidates` records one by one. Measured on the benchmark corpus: a
/// pass reads about 8 bytes per nanosecond, a per-record evaluation costs
/// about 60 ns per arena (a few hundred bytes' worth of scanning).
pub(crate) fn dense_better(store: &Store, plan: &TermPlan, fuzzy: bool, candidates: usize) -> bool {
    const RECORD_ARENA_BYTES: usize = 400;
    let arenas = arenas_for(plan);
    let bytes: usize = arenas.iter().map(|&a| store.arenas[a].bytes.len()).sum();
    let per_record = arenas.len()
        + if fuzzy && plan.fuzzy_capable() {
            FUZZY_ARENAS.len()
        } else {
            0
        };
    candidates.saturating_mul(per_record * RECORD_ARENA_BYTES) > bytes
}

/// Adds the fuzzy matches of a single term to its complete exact survivors
/// (`exact`, sorted by slot): one mask-filtered fuzzy pass over the records
/// the exact tiers did not match, instead of a second exact pass.
pub(crate) fn fuzzy_extend(
    store: &Store,
    sorted: &Sorted,
    plan: &TermPlan,
    exact: &[Surv],
) -> Vec<Surv> {
    let n = store.slots();
    let mut board = vec![NONE; n];
    for c in exact {
        if let Some(b) = board.get_mut(c.slot as usize) {
            *b = c.last;
        }
    }
    let bytes: usize = FUZZY_ARENAS
        .iter()
        .map(|&a| store.arenas[a].bytes.len())
        .sum();
    halves(
        store,
        bytes,
        |lo, hi, buf| scan_fuzzy(store, lo, hi, plan, &mut Board { lo, buf }, Some(sorted)),
        &mut board,
    );
    survivors_of(&board)
}

/// The slots a single term matched (its score as the last term's), by slot.
fn survivors_of(board: &[i32]) -> Vec<Surv> {
    board
        .iter()
        .enumerate()
        .filter(|(_, score)| **score != NONE)
        .map(|(s, &score)| Surv {
            slot: s as u32,
            fixed: 0,
            last: score,
        })
        .collect()
}

/// Prefix-tier scan of slots `[lo, hi)` of one arena: only occurrences right
/// after a key tag (plus a full scan of plates, whose province makes the
/// tag + term search miss "b123" in "粤b123", and of phones, whose +86 form
/// is an exact match two bytes into the key).
fn scan_prefixes(
    ar: &Arena,
    arena: usize,
    lo: usize,
    hi: usize,
    plan: &TermPlan,
    sink: &mut impl Sink,
) {
    let tags: &[u8] = match arena {
        NAMES => &[TAG_NAME],
        PINYIN => &[TAG_PINYIN, TAG_INITIALS],
        COMPANY => &[TAG_COMPANY],
        ADDRESS => &[TAG_ADDRESS],
        TEXT_ASCII => &[TAG_COMPANY, TAG_ADDRESS],
        _ => return scan_arena(ar, arena, lo, hi, plan, sink),
    };
    let (b, off) = (&ar.bytes, &ar.off);
    let text = text_term(arena, plan);
    let m = text.as_ref().map_or(plan.bytes.len(), Vec::len);
    let end = off.at(hi);
    for &tag in tags {
        // Right after the tag, a match starts on a character.
        let text_finder = text.as_ref().map(|t| {
            let mut tagged = vec![tag];
            tagged.extend_from_slice(t);
            memchr::memmem::Finder::new(&tagged).into_owned()
        });
        let Some(finder) = text_finder.as_ref().or_else(|| {
            plan.tag_finders
                .get(usize::from(tag))
                .and_then(Option::as_ref)
        }) else {
            continue;
        };
        let mut pos = off.at(lo);
        let mut s = lo;
        while pos < end {
            let Some(rel) = finder.find(&b[pos..end]) else {
                break;
            };
            let p = pos + rel + 1;
            s = locate(off, s, hi, p);
            if let Some((score, tag)) = classify(b, off.at(s), off.at(s + 1), p, m) {
                sink.put(s, score, tag);
            }
            pos = p;
        }
    }
}

/// Every prefix-level (or better) score of `plan`, one entry per slot:
/// keys in the sorted lists by binary search, the rest (slots appended
/// since the lists were built, and arenas without a list) by scanning, on
/// two threads when large.
fn prefix_board(store: &Store, sorted: &Sorted, plan: &TermPlan) -> Vec<i32> {
    let n = store.slots();
    let mut board = vec![NONE; n];
    let arenas = arenas_for(plan);
    let upto = sorted.upto.min(n);
    {
        let mut sink = Board {
            lo: 0,
            buf: &mut board,
        };
        for &a in arenas.iter().filter(|&&a| Sorted::covers(a)) {
            sorted.prefix_hits(store, a, &plan.bytes, &mut sink);
        }
    }
    let scanned: usize = arenas
        .iter()
        .map(|&a| {
            let ar = &store.arenas[a];
            if Sorted::covers(a) {
                ar.bytes.len() - ar.off.at(upto)
            } else {
                ar.bytes.len()
            }
        })
        .sum();
    halves(
        store,
        scanned,
        |lo, hi, buf| {
            let mut sink = Board { lo, buf };
            for &a in arenas {
                let from = if Sorted::covers(a) { lo.max(upto) } else { lo };
                if from < hi {
                    scan_prefixes(&store.arenas[a], a, from, hi, plan, &mut sink);
                }
            }
        },
        &mut board,
    );
    board
}

/// The best `limit` visible slots of `board` scoring at least `floor`, and
/// how many visible slots did (two threads when large).
fn board_top(
    store: &Store,
    board: &[i32],
    floor: i32,
    limit: usize,
    include_confidential: bool,
) -> (Vec<Key>, usize) {
    let top_of = |lo: usize, part: &[i32]| {
        let mut top = TopK::new(store, limit, include_confidential);
        for (j, &score) in part.iter().enumerate() {
            if score >= floor {
                top.offer(lo + j, score);
            }
        }
        let seen = top.seen;
        (top.into_keys(), seen)
    };
    let n = board.len();
    if n < 1 << 16 {
        return top_of(0, board);
    }
    let mid = n / 2;
    let (a, b) = board.split_at(mid);
    std::thread::scope(|sc| {
        let h = sc.spawn(|| top_of(mid, b));
        let (mut k, s1) = top_of(0, a);
        match h.join() {
            Ok((k2, s2)) => {
                k.extend(k2);
                (k, s1 + s2)
            }
            Err(e) => std::panic::resume_unwind(e),
        }
    })
}

/// Single-term fast path: the best `limit` hits if at least `limit`
/// visible records match at prefix level or better (then no substring or
/// fuzzy match can rank on the page), else `None`.
pub(crate) fn prefix_tier(
    store: &Store,
    sorted: &Sorted,
    plan: &TermPlan,
    limit: usize,
    include_confidential: bool,
) -> Option<Vec<Key>> {
    let board = prefix_board(store, sorted, plan);
    let (keys, seen) = board_top(
        store,
        &board,
        LVL_PREFIX * 1000,
        limit,
        include_confidential,
    );
    (seen >= limit).then(|| best_keys(keys, limit))
}

/// Best substring-level score an arena can give.
fn substring_ceiling(arena: usize) -> i32 {
    let tag = match arena {
        NAMES => TAG_NAME,
        PINYIN => TAG_PINYIN,
        PHONES => TAG_PHONE,
        PLATES => TAG_PLATE,
        CODES => return NONE, // prefix only
        COMPANY | TEXT_ASCII => TAG_COMPANY,
        _ => TAG_ADDRESS,
    };
    term_score(LVL_SUBSTRING, tag)
}

/// Runs `f(lo, hi)` on two halves of the slots in parallel when large.
fn halves(
    store: &Store,
    bytes: usize,
    f: impl Fn(usize, usize, &mut [i32]) + Sync,
    board: &mut [i32],
) {
    let n = store.slots();
    if bytes < PARALLEL_BYTES || n < 2 {
        f(0, n, board);
        return;
    }
    let mid = n / 2;
    let (a, b) = board.split_at_mut(mid);
    std::thread::scope(|sc| {
        let h = sc.spawn(|| f(mid, n, b));
        f(0, mid, a);
        if let Err(e) = h.join() {
            std::panic::resume_unwind(e);
        }
    });
}

/// Complete evaluation of a single term that has no fuzzy tier, straight
/// to the best `limit` keys: the prefix tier first, then substring scans
/// arena by arena in decreasing order of the best score they can give,
/// stopping once `limit` visible hits beat anything the remaining arenas
/// could add. Also returns the survivors (exactly as the dense path would
/// compute them) when every arena was scanned, so a next term can narrow.
pub(crate) fn single_term_top(
    store: &Store,
    sorted: &Sorted,
    plan: &TermPlan,
    limit: usize,
    include_confidential: bool,
) -> (Vec<Key>, Option<Vec<Surv>>) {
    let mut board = prefix_board(store, sorted, plan);
    let arenas = arenas_for(plan);
    let bytes_of = |a: usize| store.arenas[a].bytes.len();
    let count_at_least = |board: &[i32], floor: i32| -> usize {
        let mut c = 0;
        for (s, &score) in board.iter().enumerate() {
            if score >= floor
                && store.flags[s] & super::arena::F_ALIVE != 0
                && (include_confidential || store.flags[s] & super::arena::F_CONFIDENTIAL == 0)
            {
                c += 1;
                if c >= limit {
                    break;
                }
            }
        }
        c
    };
    let mut rest: Vec<usize> = arenas
        .iter()
        .copied()
        .filter(|&a| a != PLATES && a != PHONES && a != CODES) // already complete
        .collect();
    rest.sort_by_key(|&a| std::cmp::Reverse(substring_ceiling(a)));
    let mut i = 0;
    loop {
        let ceiling = rest.get(i).map_or(NONE, |&a| substring_ceiling(a));
        if ceiling == NONE || count_at_least(&board, ceiling.saturating_add(1)) >= limit {
            break;
        }
        let a = rest[i];
        halves(
            store,
            bytes_of(a),
            |lo, hi, buf| scan_arena(&store.arenas[a], a, lo, hi, plan, &mut Board { lo, buf }),
            &mut board,
        );
        i += 1;
    }
    let complete = i >= rest.len() && !plan.short_digits();
    let survivors = complete.then(|| survivors_of(&board));
    let (top, _) = board_top(store, &board, NONE + 1, limit, include_confidential);
    (best_keys(top, limit), survivors)
}

/// Runs `f` over `items` split in two halves on two threads when large.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    min_par: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    if items.len() < min_par {
        return f(items);
    }
    let (a, b) = items.split_at(items.len() / 2);
    std::thread::scope(|sc| {
        let h = sc.spawn(|| f(b));
        let mut left = f(a);
        match h.join() {
            Ok(right) => {
                left.extend(right);
                left
            }
            Err(e) => std::panic::resume_unwind(e),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_tag_finds_first_tag_byte() {
        let mut b = vec![b'a'; 40];
        assert_eq!(next_tag(&b, 0, 40), None);
        b[17] = 3;
        b[30] = 1;
        assert_eq!(next_tag(&b, 0, 40), Some(17));
        assert_eq!(next_tag(&b, 18, 40), Some(30));
        assert_eq!(next_tag(&b, 18, 30), None);
        b[2] = 0x1F; // hidden byte, not a tag
        b[3] = 0x0F;
        assert_eq!(next_tag(&b, 0, 40), Some(3));
        b[1] = 0xE5; // UTF-8 lead byte
        assert_eq!(next_tag(&b, 1, 3), None);
    }
}
