//! Traditional → simplified characters, so that a name typed or imported
//! in traditional characters is the same key as its simplified form
//! (張偉 = 张伟, 陳 = 陈), whichever side the agent types. The table is
//! OpenCC's `TSCharacters.txt` (Apache-2.0, `data/opencc/`, see README);
//! where it lists several simplified forms the first is taken, and a
//! character it keeps as one of its forms is left alone.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/opencc/TSCharacters.txt");

struct Map {
    /// One bit per BMP code point that has an entry (most characters have
    /// none: a bit test spares them the search).
    bmp: Vec<u64>,
    pairs: Vec<(char, char)>,
}

fn parse() -> Map {
    let mut pairs: Vec<(char, char)> = TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (key, values) = l.split_once('\t')?;
            let mut k = key.chars();
            let from = k.next().filter(|_| k.next().is_none())?;
            let mut forms = values.split_whitespace();
            let first = forms.next()?;
            if first.chars().count() != 1 || values.split_whitespace().any(|v| v == key) {
                return None; // a phrase, or the character is its own form too
            }
            let to = first.chars().next()?;
            (to != from).then_some((from, to))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    let mut bmp = vec![0u64; 0x10000 / 64];
    for &(from, _) in &pairs {
        let u = from as usize;
        if let Some(w) = bmp.get_mut(u / 64) {
            *w |= 1 << (u % 64);
        }
    }
    Map { bmp, pairs }
}

/// The simplified form of `c` (itself if it has none).
#[inline]
pub(crate) fn simplified(c: char) -> char {
    let u = c as usize;
    if u < 0x3400 {
        return c;
    }
    static MAP: OnceLock<Map> = OnceLock::new();
    let map = MAP.get_or_init(parse);
    if u < 0x10000 && map.bmp.get(u / 64).is_none_or(|w| w >> (u % 64) & 1 == 0) {
        return c;
    }
    match map.pairs.binary_search_by_key(&c, |p| p.0) {
        Ok(i) => map.pairs[i].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_names_fold_to_simplified() {
        let s = |t: &str| t.chars().map(simplified).collect::<String>();
        assert_eq!(s("張偉"), "张伟");
        assert_eq!(s("陳"), "陈");
        assert_eq!(s("歐陽娜娜"), "欧阳娜娜");
        assert_eq!(s("劉德華"), "刘德华");
        assert_eq!(s("鄭"), "郑");
        assert_eq!(s("粵B12345"), "粤B12345");
        // Simplified and common characters stay as they are.
        assert_eq!(s("张伟李四王五"), "张伟李四王五");
        assert_eq!(s("abc 123"), "abc 123");
        // A character the table keeps as one of its own forms is kept.
        assert_eq!(s("乾"), "乾");
        assert!(parse().pairs.len() > 2000);
    }
}
