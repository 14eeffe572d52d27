//! Fuzzy (in-order subsequence) scoring of one term against one ASCII key.
//!
//! Pinyin keys carry their syllable lengths, so a *syllable-prefix* match
//! ("zsan", "zhs", "zhangs" for zhang|san) scores as the best kind of fuzzy
//! match; otherwise the score reflects how tight the match is (skim-style).

/// Quality range returned by [`quality`]: 0..=MAX_QUALITY.
pub(crate) const MAX_QUALITY: i32 = 990;
const SEGMENT_AT_START: i32 = 900;
const SEGMENT_INSIDE: i32 = 800;

/// Decodes hidden syllable lengths into `out`; returns how many, or 0
/// unless they add up to `key_len`.
fn syllables(hidden: &[u8], key_len: usize, out: &mut [(usize, usize); 16]) -> usize {
    if hidden.len() > out.len() {
        return 0;
    }
    let mut at = 0;
    for (i, &h) in hidden.iter().enumerate() {
        let l = usize::from(h.saturating_sub(super::keys::HIDDEN));
        if l == 0 {
            return 0;
        }
        out[i] = (at, l);
        at += l;
    }
    if at == key_len { hidden.len() } else { 0 }
}

/// Syllable-prefix segmentation of `t` over consecutive syllables starting
/// at some syllable. Returns (first syllable, matched byte positions).
fn segment_match(key: &[u8], syl: &[(usize, usize)], t: &[u8]) -> Option<(usize, Vec<usize>)> {
    const MAX_SYL: usize = 16;
    let m = t.len();
    if m == 0 || m > 63 || syl.len() > MAX_SYL {
        return None;
    }
    let mut reach = [0u64; MAX_SYL + 1];
    let mut took = [[0u8; 64]; MAX_SYL + 1];
    for start in 0..syl.len() {
        // reach[i] = bitmask of term positions reachable at the start of
        // syllable start+i; took[i][ti] = chars taken from syllable i-1.
        let n = syl.len() - start;
        reach[..=n].fill(0);
        reach[0] = 1;
        for i in 0..n {
            let (so, sl) = syl[start + i];
            let s = &key[so..so + sl];
            let mut bits = reach[i];
            while bits != 0 {
                let ti = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if ti == 0 && i > 0 {
                    continue; // every used syllable must start the match chain
                }
                let maxj = sl.min(m - ti);
                for j in 1..=maxj {
                    if s[j - 1] != t[ti + j - 1] {
                        break;
                    }
                    let nt = ti + j;
                    if reach[i + 1] & (1 << nt) == 0 {
                        reach[i + 1] |= 1 << nt;
                        took[i + 1][nt] = j as u8;
                    }
                }
            }
            if reach[i + 1] & (1 << m) != 0 {
                // Walk back to recover positions.
                let mut pos = Vec::with_capacity(m);
                let mut ti = m;
                let mut k = i + 1;
                while ti > 0 && k > 0 {
                    let j = usize::from(took[k][ti]);
                    let (so, _) = syl[start + k - 1];
                    for x in (0..j).rev() {
                        pos.push(so + x);
                    }
                    ti -= j;
                    k -= 1;
                }
                pos.reverse();
                return Some((start, pos));
            }
            if reach[i + 1] == 0 {
                break;
            }
        }
    }
    None
}

/// Tightest window ending at the earliest possible end: forward greedy to
/// find the end, backward greedy to find the latest start.
fn tight_window(key: &[u8], t: &[u8]) -> Option<(usize, usize)> {
    let mut ti = 0;
    let mut end = None;
    for (i, &b) in key.iter().enumerate() {
        if b == t[ti] {
            ti += 1;
            if ti == t.len() {
                end = Some(i);
                break;
            }
        }
    }
    let end = end?;
    let mut ti = t.len();
    let mut start = end;
    for i in (0..=end).rev() {
        if key[i] == t[ti - 1] {
            ti -= 1;
            if ti == 0 {
                start = i;
                break;
            }
        }
    }
    Some((start, end))
}

/// Fuzzy quality of `t` in `key` (0..=MAX_QUALITY), `None` if `t` is not a
/// subsequence of `key`. `hidden` are the key's hidden syllable bytes.
pub(crate) fn quality(key: &[u8], hidden: &[u8], t: &[u8]) -> Option<i32> {
    if t.is_empty() || t.len() > key.len() {
        return None;
    }
    let (start, end) = tight_window(key, t)?;
    if !hidden.is_empty() {
        let mut buf = [(0, 0); 16];
        let n = syllables(hidden, key.len(), &mut buf);
        if n > 0
            && let Some((s0, _)) = segment_match(key, &buf[..n], t)
        {
            return Some(if s0 == 0 {
                SEGMENT_AT_START
            } else {
                SEGMENT_INSIDE
            });
        }
    }
    let gaps = (end + 1 - start - t.len()) as i32;
    let mut q = 600 - (gaps * 30).min(540);
    if start == 0 {
        q += 60;
    }
    Some(q.clamp(10, 790))
}

/// Matched byte positions of `t` in `key` (segment match if there is one,
/// else the tight window), for highlighting.
pub(crate) fn positions(key: &[u8], syl: &[(usize, usize)], t: &[u8]) -> Option<Vec<usize>> {
    if t.is_empty() {
        return None;
    }
    if !syl.is_empty()
        && let Some((_, p)) = segment_match(key, syl, t)
    {
        return Some(p);
    }
    let (start, end) = tight_window(key, t)?;
    let mut pos = Vec::with_capacity(t.len());
    let mut ti = 0;
    for (i, &b) in key.iter().enumerate().take(end + 1).skip(start) {
        if ti < t.len() && b == t[ti] {
            pos.push(i);
            ti += 1;
        }
    }
    Some(pos)
}

/// Typos forgiven in a term of `len` letters: none below five letters (a
/// short term is too easily another name), one from five. Two typos from
/// ten letters were measured and dropped: with two edits nearly every
/// record passes the letter-mask filter, and a full scan at 1M took
/// 400 ms a keystroke.
pub(crate) fn typo_budget(len: usize) -> u8 {
    u8::from(len >= 5)
}

/// A typo match of a term against the start of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Typo {
    /// Edits (adjacent swap, missing, extra or wrong letter).
    pub edits: u8,
    /// Bytes of the key the term stands for.
    pub len: usize,
}

/// The fewest edits turning `t` into a prefix of `key` (optimal string
/// alignment distance: a swap of two adjacent letters is one edit), if at
/// most `k`. The key's first letter must be the term's first or second
/// (people rarely mistype the first letter; a swap of the first two is
/// still one edit). Prefers the longer prefix at equal edits.
pub(crate) fn typo_match(key: &[u8], t: &[u8], k: u8) -> Option<Typo> {
    const W: usize = 72;
    let m = t.len();
    let k = usize::from(k);
    if k == 0 || !(2..=40).contains(&m) || key.is_empty() || (key[0] != t[0] && key[0] != t[1]) {
        return None;
    }
    let n = key.len().min(m + k).min(W - 1);
    // rows[i][j]: edits between t[..i] and key[..j].
    let mut prev2 = [0u8; W];
    let mut prev = [0u8; W];
    let mut cur = [0u8; W];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j as u8;
    }
    for i in 1..=m {
        cur[0] = i as u8;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = u8::from(t[i - 1] != key[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && t[i - 1] == key[j - 2] && t[i - 2] == key[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > k {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    // The last row: the best prefix, longest first at equal edits.
    let mut best: Option<Typo> = None;
    for j in (1..=n).rev() {
        let e = prev[j];
        if usize::from(e) <= k && best.is_none_or(|b| e < b.edits) {
            best = Some(Typo { edits: e, len: j });
        }
    }
    best.filter(|b| b.edits > 0)
}

/// Southern-pinyin (模糊音) form of ASCII pinyin, the way input methods
/// offer it: z/zh, c/ch, s/sh, n/l, f/h, r/l, an/ang, en/eng, in/ing fall
/// together (zh->z, ch->c, sh->s, h->f, l->n, r->n unless it ends "er",
/// ng->n after a/e/i). Every rule looks only at earlier letters, so the
/// form of a longer term extends the form of its prefix (narrowing as the
/// agent types stays exact), and keys and terms go through the same
/// function whatever their syllable split. r, l and n fall together as a
/// consequence (r=l and l=n); accepted for a setting that is about hearing.
pub(crate) fn sound_form(s: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut prev = 0u8; // the previous letter of the input
    let mut prev2 = 0u8;
    for &b in s {
        let mapped = match b {
            b'h' if matches!(prev, b'z' | b'c' | b's') => None,
            b'h' => Some(b'f'),
            b'l' => Some(b'n'),
            b'r' if prev == b'e' => Some(b'r'),
            b'r' => Some(b'n'),
            b'g' if prev == b'n' && matches!(prev2, b'a' | b'e' | b'i') => None,
            _ => Some(b),
        };
        if let Some(m) = mapped {
            out.push(m);
        }
        prev2 = prev;
        prev = b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::keys::HIDDEN;

    #[test]
    fn segment_matches_score_highest() {
        let key = b"zhangsan";
        let hid = [HIDDEN + 5, HIDDEN + 3];
        assert_eq!(quality(key, &hid, b"zsan"), Some(SEGMENT_AT_START));
        assert_eq!(quality(key, &hid, b"zhs"), Some(SEGMENT_AT_START));
        let loose = quality(key, &hid, b"zan").unwrap_or(0);
        assert!(loose < SEGMENT_INSIDE && loose > 0);
        assert_eq!(quality(key, &hid, b"xyz"), None);
        let mut buf = [(0, 0); 16];
        let n = syllables(&hid, key.len(), &mut buf);
        assert_eq!(positions(key, &buf[..n], b"zsan"), Some(vec![0, 5, 6, 7]));
    }

    #[test]
    fn tighter_is_better() {
        let a = quality(b"abcxyz", &[], b"abc").unwrap_or(0);
        let b = quality(b"axbxcx", &[], b"abc").unwrap_or(0);
        assert!(a > b);
    }

    #[test]
    fn one_typo_in_five_letters_or_more() {
        let one = |key: &[u8], t: &[u8]| typo_match(key, t, typo_budget(t.len()));
        for t in [
            &b"zhagnsan"[..],
            b"zhangsna",
            b"zhansan",
            b"zhangsab",
            b"hzangsan",
        ] {
            assert_eq!(one(b"zhangsan", t).map(|x| x.edits), Some(1), "{t:?}");
        }
        assert_eq!(one(b"liwei", b"liwie").map(|x| x.edits), Some(1));
        // A prefix of the key: the term stands for its first bytes.
        assert_eq!(
            one(b"zhangsanfeng", b"zhagnsan"),
            Some(Typo { edits: 1, len: 8 })
        );
        // Exact is not a typo; two edits exceed a budget of one.
        assert_eq!(one(b"zhangsan", b"zhangsan"), None);
        assert_eq!(one(b"zhangsan", b"zhagnsna"), None);
        // Short terms get no budget at all.
        assert_eq!(typo_budget(4), 0);
        assert_eq!(one(b"liwei", b"lwie"), None);
        assert_eq!(one(b"wang", b"wagn"), None);
        // The first letter must be right (or swapped with the second).
        assert_eq!(one(b"zhangsan", b"changsan"), None);
        // The budget grows from none to one at five letters; two edits
        // stay out at any length (the matcher itself can count them).
        assert_eq!((typo_budget(4), typo_budget(5), typo_budget(12)), (0, 1, 1));
        let two = typo_match(b"ouyangnana", b"ouyagnnaan", 2);
        assert_eq!(two.map(|x| x.edits), Some(2));
        assert_eq!(one(b"ouyangnana", b"ouyagnnaan"), None);
        assert_eq!(one(b"ouyangnana", b"ouyagnnana").map(|x| x.edits), Some(1));
    }

    #[test]
    fn southern_pinyin_forms() {
        let f = |s: &str| {
            let mut v = Vec::new();
            sound_form(s.as_bytes(), &mut v);
            String::from_utf8(v).unwrap_or_default()
        };
        assert_eq!(f("zhangsan"), f("zangsan"));
        assert_eq!(f("zhangsan"), f("zansan"));
        assert_eq!(f("chenlin"), f("cenning"));
        assert_eq!(f("shifu"), f("sifu"));
        assert_eq!(f("huang"), f("fuang"));
        assert_eq!(f("liu"), f("niu"));
        assert_eq!(f("rong"), f("long"));
        assert_eq!(f("erlang"), "ernan");
        // Not equal: different vowels, ong is not on the list.
        assert_ne!(f("zhang"), f("zhong"));
        assert_ne!(f("wang"), f("wong"));
        // Every prefix's form is a prefix of the whole form.
        let whole = f("zhangshengli");
        for i in 1..="zhangshengli".len() {
            assert!(whole.starts_with(&f(&"zhangshengli"[..i])), "{i}");
        }
    }
}
