//! Record encoding: how one customer's keys are laid out in the arenas.
//!
//! There is one arena per group of fields, so that a term only scans the
//! bytes it can match (letters never scan phones, Chinese never scans
//! pinyin). Inside an arena a record is a list of keys, each preceded by a
//! one-byte tag:
//!
//! | arena        | keys                                                     |
//! |--------------|----------------------------------------------------------|
//! | `NAMES`      | `TAG_NAME` folded name (+ hidden word lengths if Latin)  |
//! | `PINYIN`     | `TAG_PINYIN` variant + hidden syllable lengths …, `TAG_INITIALS` … |
//! | `PHONES`     | `TAG_PHONE` digits …                                     |
//! | `PLATES`     | `TAG_PLATE` folded plate …                               |
//! | `CODES`      | `TAG_CODE` folded code                                   |
//! | `COMPANY`    | `TAG_COMPANY` folded company, in GB18030 ([`text_bytes`]) |
//! | `ADDRESS`    | `TAG_ADDRESS` folded address, in GB18030                 |
//! | `TEXT_ASCII` | the ASCII runs of company and address (`TAG_COMPANY`/`TAG_ADDRESS` for a run that starts the field, `*_MID` otherwise) |
//!
//! Byte classes: `< TAG_LIMIT` tags, `HIDDEN..MATCH_MIN` hidden lengths
//! (`HIDDEN + len`), `>= MATCH_MIN` searchable. Query terms never contain
//! bytes below `MATCH_MIN` (control characters are folded away), so a match
//! never spans two keys or touches hidden bytes.

use super::arena::MAX_RECORD;
use super::normalize::{fold_char, name_key_with_map, push_folded, push_phone_key};
use super::pinyin_keys::{analyze, variants};
use super::{CustomerKeys, Field};

pub(crate) const TAG_NAME: u8 = 1;
pub(crate) const TAG_PINYIN: u8 = 2;
pub(crate) const TAG_INITIALS: u8 = 3;
pub(crate) const TAG_PLATE: u8 = 4;
pub(crate) const TAG_CODE: u8 = 5;
pub(crate) const TAG_PHONE: u8 = 6;
pub(crate) const TAG_COMPANY: u8 = 7;
pub(crate) const TAG_ADDRESS: u8 = 8;
pub(crate) const TAG_COMPANY_MID: u8 = 9;
pub(crate) const TAG_ADDRESS_MID: u8 = 10;
/// Bytes below this are tags.
pub(crate) const TAG_LIMIT: u8 = 0x10;
/// `HIDDEN + n` encodes a syllable/word length n (1..=15).
pub(crate) const HIDDEN: u8 = 0x10;
/// Bytes at or above this are searchable.
pub(crate) const MATCH_MIN: u8 = 0x20;

pub(crate) const NAMES: usize = 0;
pub(crate) const PINYIN: usize = 1;
pub(crate) const PHONES: usize = 2;
pub(crate) const PLATES: usize = 3;
pub(crate) const CODES: usize = 4;
pub(crate) const COMPANY: usize = 5;
pub(crate) const ADDRESS: usize = 6;
pub(crate) const TEXT_ASCII: usize = 7;
/// Original names, stored only when they differ from the folded name key
/// (used for highlighting; never scanned): the last part of a record, kept
/// apart from the arenas (`arena::Originals`), since most names have none.
pub(crate) const ORIG: usize = 8;
/// Arenas of the store; a record has one more part ([`ORIG`]).
pub(crate) const ARENAS: usize = 8;
pub(crate) const PARTS: usize = 9;

pub(crate) fn tag_field(tag: u8) -> Field {
    match tag {
        TAG_NAME => Field::Name,
        TAG_PINYIN => Field::Pinyin,
        TAG_INITIALS => Field::Initials,
        TAG_PLATE => Field::Plate,
        TAG_CODE => Field::Code,
        TAG_PHONE => Field::Phone,
        TAG_COMPANY | TAG_COMPANY_MID => Field::Company,
        _ => Field::Address,
    }
}

/// Appends hidden length bytes, or nothing if a length does not fit.
fn push_lengths(lens: &[usize], out: &mut Vec<u8>) {
    if lens.len() > 1 && lens.iter().all(|&l| (1..16).contains(&l)) {
        out.extend(lens.iter().map(|&l| HIDDEN + l as u8));
    }
}

fn push_key(tag: u8, key: &[u8], out: &mut Vec<u8>) {
    push_key_with(tag, out, |o| o.extend_from_slice(key));
}

/// The tag, then what `key` appends (nothing at all if it appends nothing):
/// [`push_key`] without a buffer for the key.
fn push_key_with(tag: u8, out: &mut Vec<u8>, key: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    out.push(tag);
    key(out);
    if out.len() == at + 1 {
        out.truncate(at);
    }
}

/// Company and address keys are stored in GB18030: two bytes per Chinese
/// character instead of UTF-8's three, and these two arenas are the
/// largest. Every byte of it is >= 0x30, so tags and hidden bytes stay
/// apart; `scan` encodes a term the same way and checks that a match
/// starts on a character boundary ([`text_aligned`]).
pub(crate) fn text_bytes(utf8: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(utf8.len());
    match std::str::from_utf8(utf8) {
        Ok(s) => push_text_str(s, &mut out),
        Err(_) => out.extend_from_slice(utf8),
    }
    out
}

/// [`text_bytes`] of a string, appended to `out`.
fn push_text_str(s: &str, out: &mut Vec<u8>) {
    let table = gb_table();
    for c in s.chars() {
        let cp = c as usize;
        match table.get(cp).copied() {
            _ if cp < 0x80 => out.push(cp as u8),
            Some(code) if code != 0 => out.extend_from_slice(&code.to_be_bytes()),
            // Outside GBK: GB18030's four bytes.
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(&encoding_rs::GB18030.encode(c.encode_utf8(&mut buf)).0);
            }
        }
    }
}

/// The two-byte GB18030 code of every BMP character that has one (0:
/// none), made once by decoding every two-byte code: encoding_rs's
/// encoder searches its tables per character, which was a third of a
/// build's time at 1M.
fn gb_table() -> &'static [u16] {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; 0x1_0000];
        for lead in 0x81u8..=0xFE {
            for trail in (0x40u8..=0x7E).chain(0x80..=0xFE) {
                let code = [lead, trail];
                let (s, bad) = encoding_rs::GB18030.decode_without_bom_handling(&code);
                let mut cs = s.chars();
                if let (false, Some(c), None) = (bad, cs.next(), cs.next()) {
                    let cp = c as usize;
                    if (0x80..0x1_0000).contains(&cp) && t[cp] == 0 {
                        t[cp] = u16::from_be_bytes([lead, trail]);
                    }
                }
            }
        }
        t
    })
}

/// Whether `p` starts a character of the GB18030 key starting at `ks`
/// (ASCII one byte; a lead byte followed by a digit four; else two).
#[inline]
pub(crate) fn text_aligned(b: &[u8], ks: usize, p: usize) -> bool {
    let mut i = ks;
    while i < p {
        i += if b[i] < 0x80 {
            1
        } else if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            4
        } else {
            2
        };
    }
    i == p
}

/// Per-arena byte buffers for one record.
pub(crate) type Parts = [Vec<u8>; PARTS];

/// The name parts of records already encoded (names, pinyin and initials,
/// original name), by name: names repeat a lot among a million customers
/// (张伟, 王芳 …) and their pinyin derivation is a large part of a build.
/// Bounded (emptied when full), and given up when names rarely repeat,
/// where the copies would cost more than they save.
#[derive(Default)]
pub(crate) struct NameCache {
    map: std::collections::HashMap<String, [Vec<u8>; 3]>,
    hits: usize,
    misses: usize,
}

const NAME_CACHE_MAX: usize = 200_000;
/// After this many lookups, a cache that has hit less than half of them is
/// dropped (at its next miss).
const NAME_CACHE_TRIAL: usize = 50_000;

/// Encodes `c` into `out` (cleared first).
pub(crate) fn encode(c: &CustomerKeys, out: &mut Parts) {
    encode_cached(c, out, &mut None);
}

/// [`encode`], taking the name parts from `cache` when it has them.
pub(crate) fn encode_cached(c: &CustomerKeys, out: &mut Parts, cache: &mut Option<NameCache>) {
    for p in out.iter_mut() {
        p.clear();
    }
    match cache.as_mut().and_then(|m| m.map.get(&c.name)) {
        Some([names, pinyin, orig]) => {
            out[NAMES].extend_from_slice(names);
            out[PINYIN].extend_from_slice(pinyin);
            out[ORIG].extend_from_slice(orig);
            if let Some(m) = cache.as_mut() {
                m.hits += 1;
            }
        }
        None => {
            encode_name(&c.name, out);
            if let Some(m) = cache.as_mut() {
                m.misses += 1;
                if m.misses + m.hits >= NAME_CACHE_TRIAL && m.hits < m.misses {
                    *cache = None;
                } else {
                    if m.map.len() >= NAME_CACHE_MAX {
                        m.map.clear();
                    }
                    m.map.insert(
                        c.name.clone(),
                        [out[NAMES].clone(), out[PINYIN].clone(), out[ORIG].clone()],
                    );
                }
            }
        }
    }
    encode_rest(c, out);
}

/// The name's keys: folded name, every pinyin variant and initials, and
/// the original where it differs from the folded key.
fn encode_name(name: &str, out: &mut Parts) {
    let info = analyze(name);
    let (name_key, _) = name_key_with_map(name);
    if !name_key.is_empty() {
        let o = &mut out[NAMES];
        o.push(TAG_NAME);
        o.extend_from_slice(&name_key);
        if !info.has_cjk && name_key.is_ascii() {
            let lens: Vec<usize> = info.units.iter().map(|u| u.chars.len()).collect();
            if lens.iter().sum::<usize>() == name_key.len() {
                push_lengths(&lens, o);
            }
        }
    }
    if name_key != name.as_bytes() {
        out[ORIG].extend_from_slice(name.as_bytes());
    }
    let (full, initials) = if info.has_cjk {
        variants(&info)
    } else {
        let ini: String = info
            .units
            .iter()
            .filter_map(|u| u.readings.first().and_then(|r| r.chars().next()))
            .collect();
        (
            Vec::new(),
            if info.units.len() >= 2 {
                vec![ini]
            } else {
                Vec::new()
            },
        )
    };
    for (p, lens) in &full {
        push_key(TAG_PINYIN, p.as_bytes(), &mut out[PINYIN]);
        push_lengths(lens, &mut out[PINYIN]);
    }
    for i in &initials {
        push_key(TAG_INITIALS, i.as_bytes(), &mut out[PINYIN]);
    }
}

/// Plates, code, phones, company and address.
fn encode_rest(c: &CustomerKeys, out: &mut Parts) {
    for p in &c.plates {
        push_key_with(TAG_PLATE, &mut out[PLATES], |o| push_folded(p, o));
    }
    if let Some(code) = &c.code {
        push_key_with(TAG_CODE, &mut out[CODES], |o| push_folded(code, o));
    }
    for p in &c.phones {
        push_key_with(TAG_PHONE, &mut out[PHONES], |o| push_phone_key(p, o));
    }
    let mut folded = String::new();
    for (arena, tag, mid, s) in [
        (COMPANY, TAG_COMPANY, TAG_COMPANY_MID, &c.company),
        (ADDRESS, TAG_ADDRESS, TAG_ADDRESS_MID, &c.address),
    ] {
        folded.clear();
        for ch in s.chars() {
            fold_char(ch, |f| folded.push(f));
        }
        push_key_with(tag, &mut out[arena], |o| push_text_str(&folded, o));
        let text = folded.as_bytes();
        // ASCII runs, for ASCII terms (which can only match inside one).
        let mut i = 0;
        while i < text.len() {
            if text[i] >= 0x80 {
                i += 1;
                continue;
            }
            let start = i;
            while i < text.len() && text[i] < 0x80 {
                i += 1;
            }
            let o = &mut out[TEXT_ASCII];
            o.push(if start == 0 { tag } else { mid });
            o.extend_from_slice(&text[start..i]);
        }
    }
    out.iter_mut().for_each(cap);
}

/// Cuts a record longer than `arena::MAX_RECORD` bytes at a character
/// boundary (what is cut is the end of its last keys; intake and import
/// keep real fields far shorter).
fn cap(part: &mut Vec<u8>) {
    if part.len() <= MAX_RECORD {
        return;
    }
    let mut cut = MAX_RECORD;
    while cut > 0 && (0x80..0xC0).contains(&part[cut]) {
        cut -= 1;
    }
    part.truncate(cut);
}

/// Iterates the keys of one record: (tag, key bytes, hidden bytes).
#[cfg(test)]
pub(crate) fn record_keys(rec: &[u8]) -> impl Iterator<Item = (u8, &[u8], &[u8])> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < rec.len() && rec[i] >= TAG_LIMIT {
            i += 1;
        }
        if i >= rec.len() {
            return None;
        }
        let tag = rec[i];
        let ks = i + 1;
        let mut ke = ks;
        while ke < rec.len() && rec[ke] >= MATCH_MIN {
            ke += 1;
        }
        let mut he = ke;
        while he < rec.len() && (HIDDEN..MATCH_MIN).contains(&rec[he]) {
            he += 1;
        }
        i = he;
        Some((tag, &rec[ks..ke], &rec[ke..he]))
    })
}
