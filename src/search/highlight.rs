//! Name highlighting: which characters of the original name a query matched
//! (directly, through a pinyin variant, or through initials). Only run for
//! the few hits that are returned.

use memchr::memmem;

use super::fuzzy::positions;
use super::normalize::name_key_with_map;
use super::pinyin_keys::{NameInfo, analyze, choices, initials_of, pinyin_of};
use super::query::{TermKind, TermPlan};

/// Char indices (sorted, distinct) of `name` matched by any term.
pub(crate) fn name_matches(name: &str, plans: &[TermPlan]) -> Vec<usize> {
    if name.is_empty() {
        return Vec::new();
    }
    let (key, map) = name_key_with_map(name);
    let info = analyze(name);
    let variants: Vec<(String, Vec<usize>, String)> = choices(&info)
        .iter()
        .map(|c| {
            let (p, lens) = pinyin_of(&info, c);
            (p, lens, initials_of(&info, c))
        })
        .collect();
    let mut out: Vec<usize> = Vec::new();
    for plan in plans {
        term_chars(plan, &key, &map, &info, &variants, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Unit index and byte offset inside it for every byte of a pinyin string.
fn unit_bytes(lens: &[usize]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for (u, &l) in lens.iter().enumerate() {
        v.extend((0..l).map(|b| (u, b)));
    }
    v
}

fn unit_char(info: &NameInfo, unit: usize, byte: usize) -> Option<usize> {
    let u = info.units.get(unit)?;
    if u.cjk {
        u.chars.first().copied()
    } else {
        u.chars.get(byte).or(u.chars.first()).copied()
    }
}

fn term_chars(
    plan: &TermPlan,
    key: &[u8],
    map: &[usize],
    info: &NameInfo,
    variants: &[(String, Vec<usize>, String)],
    out: &mut Vec<usize>,
) {
    let t = &plan.bytes;
    let m = t.len();
    // 1. The name itself.
    if let Some(p) = memmem::find(key, t) {
        out.extend(map[p..p + m].iter().copied());
        return;
    }
    // 2. Full pinyin, then initials (substring).
    for (py, lens, _) in variants {
        if let Some(p) = memmem::find(py.as_bytes(), t) {
            let ub = unit_bytes(lens);
            out.extend(
                ub[p..p + m]
                    .iter()
                    .filter_map(|&(u, b)| unit_char(info, u, b)),
            );
            return;
        }
    }
    for (_, _, ini) in variants {
        if let Some(p) = memmem::find(ini.as_bytes(), t) {
            out.extend((p..p + m).filter_map(|u| unit_char(info, u, 0)));
            return;
        }
    }
    if !info.has_cjk && info.units.len() >= 2 {
        let ini: Vec<u8> = info
            .units
            .iter()
            .filter_map(|u| u.readings.first().and_then(|r| r.bytes().next()))
            .collect();
        if let Some(p) = memmem::find(&ini, t) {
            out.extend((p..p + m).filter_map(|u| unit_char(info, u, 0)));
            return;
        }
    }
    if plan.kind != TermKind::Ascii {
        return;
    }
    // 3. Fuzzy: pinyin (syllable-aware), Latin name, initials.
    for (py, lens, _) in variants {
        let mut syl = Vec::with_capacity(lens.len());
        let mut at = 0;
        for &l in lens {
            syl.push((at, l));
            at += l;
        }
        if let Some(pos) = positions(py.as_bytes(), &syl, t) {
            let ub = unit_bytes(lens);
            out.extend(
                pos.iter()
                    .filter_map(|&p| ub.get(p))
                    .filter_map(|&(u, b)| unit_char(info, u, b)),
            );
            return;
        }
    }
    if key.is_ascii()
        && let Some(pos) = positions(key, &[], t)
    {
        out.extend(pos.iter().filter_map(|&p| map.get(p).copied()));
        return;
    }
    for (_, _, ini) in variants {
        if let Some(pos) = positions(ini.as_bytes(), &[], t) {
            out.extend(pos.iter().filter_map(|&u| unit_char(info, u, 0)));
            return;
        }
    }
}
