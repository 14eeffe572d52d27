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
}
