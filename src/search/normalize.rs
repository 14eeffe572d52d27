//! Character folding shared by keys and query terms, so that both sides of a
//! comparison are normalised the same way.
//!
//! Rules: control characters and whitespace are dropped, full-width ASCII
//! (ＡＢＣ１２３) is folded to ASCII, traditional characters to simplified
//! ones (`hant`), plate/phone separators ('-', '·', …) are
//! dropped, and everything is lower-cased. Folding is char-by-char, so a
//! query that extends another still extends it after folding (the session
//! narrowing relies on that).

/// Separators that people put into plates, codes and phone numbers.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '·' | '•' | '・' | '‧' | '‐' | '‑' | '‒' | '–' | '—' | '_'
    )
}

/// Feeds the folded form of `c` (zero or more chars) to `out`.
#[inline]
pub(crate) fn fold_char(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        if c.is_ascii_graphic() && !is_separator(c) {
            out(c.to_ascii_lowercase());
        }
        return;
    }
    if c.is_control() || c.is_whitespace() {
        return;
    }
    let c = if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        match char::from_u32(u32::from(c) - 0xFEE0) {
            Some(a) => a,
            None => return,
        }
    } else {
        super::hant::simplified(c)
    };
    if is_separator(c) {
        return;
    }
    // CJK ideographs (ext. A and the main block) have no case: spared
    // the case tables, which are most of a build's folding time.
    if ('\u{3400}'..='\u{9FFF}').contains(&c) {
        out(c);
        return;
    }
    for l in c.to_lowercase() {
        if !l.is_control() {
            out(l);
        }
    }
}

/// Folds a whole string.
pub(crate) fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// Appends the folded form of `s` to a byte buffer.
pub(crate) fn push_folded(s: &str, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    for c in s.chars() {
        fold_char(c, |f| {
            out.extend_from_slice(f.encode_utf8(&mut buf).as_bytes())
        });
    }
}

/// The searchable form of a name: folded, alphanumeric characters only
/// ("Li Wei" -> "liwei", "O'Brien" -> "obrien"). Also returns, for every byte
/// of the key, the index of the original char it came from.
pub(crate) fn name_key_with_map(name: &str) -> (Vec<u8>, Vec<usize>) {
    let mut key = Vec::with_capacity(name.len());
    let mut map = Vec::with_capacity(name.len());
    let mut buf = [0u8; 4];
    for (i, c) in name.chars().enumerate() {
        fold_char(c, |f| {
            if f.is_alphanumeric() {
                let b = f.encode_utf8(&mut buf).as_bytes();
                key.extend_from_slice(b);
                map.extend(std::iter::repeat_n(i, b.len()));
            }
        });
    }
    (key, map)
}

/// Phone key: the ASCII digits of the number, without its extension
/// (stored after an `x`), so that a number written with or without the
/// extension is the whole key.
pub(crate) fn push_phone_key(phone: &str, out: &mut Vec<u8>) {
    let main = phone.split('x').next().unwrap_or(phone);
    out.extend(main.bytes().filter(u8::is_ascii_digit));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_fullwidth_case_and_separators() {
        assert_eq!(fold_str("粤Ｂ-12 345"), "粤b12345");
        assert_eq!(fold_str("京A·88K88"), "京a88k88");
        assert_eq!(fold_str("a\u{0}b\u{7}c\td"), "abcd");
        // Full-width letters and digits (an IME in full-width mode).
        assert_eq!(fold_str("ｚｓ"), "zs");
        assert_eq!(fold_str("ＺＨＡＮＧ１２３"), "zhang123");
        assert_eq!(fold_str("張偉"), "张伟");
    }

    #[test]
    fn name_key_keeps_alphanumerics_with_map() {
        let (k, m) = name_key_with_map("Li Wei");
        assert_eq!(k, b"liwei");
        assert_eq!(m, vec![0, 1, 3, 4, 5]);
        let (k, m) = name_key_with_map("张 三");
        assert_eq!(String::from_utf8_lossy(&k), "张三");
        assert_eq!(m, vec![0, 0, 0, 2, 2, 2]);
    }
}
