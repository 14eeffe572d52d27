//! Pinyin readings of names: full pinyin variants and initials.
//!
//! A name is split into *units*: one unit per Chinese character (its distinct
//! toneless readings, heteronyms included) and one per run of ASCII letters or
//! digits ("Li Wei" -> "li", "wei"). Variants pick one reading per unit; the
//! number of variants is bounded (see [`choices`]).

use pinyin::ToPinyinMulti;

use super::normalize::fold_char;

/// At most this many full-pinyin (and, separately, initials) keys per name.
pub(crate) const MAX_VARIANTS: usize = 8;
/// At most this many distinct readings are kept per character.
const MAX_READINGS: usize = 4;

/// Two-character surnames whose readings are combined in full.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "西门", "南宫", "独孤", "单于", "万俟", "闻人", "赫连",
    "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "拓跋", "呼延", "百里", "东郭", "淳于", "仲孙",
];

/// Characters often used in given names with more than one reading, and
/// the readings people use for them there. Every other character of a
/// given name is indexed under its primary reading only: the dictionary
/// also lists rare readings (俊 jun/shun/dun, 思 si/sai), and indexing
/// those made "zs" find 郑俊杰 as if it were 郑顺杰. Surnames keep every
/// reading (单 shan/dan, 曾 zeng/ceng).
const GIVEN_HETERONYMS: &[(char, &[&str])] = &[
    ('乐', &["le", "yue"]),
    ('长', &["chang", "zhang"]),
    ('朝', &["zhao", "chao"]),
    ('重', &["zhong", "chong"]),
    ('行', &["xing", "hang"]),
    ('传', &["chuan", "zhuan"]),
    ('觉', &["jue", "jiao"]),
    ('强', &["qiang", "jiang"]),
    ('调', &["tiao", "diao"]),
    ('省', &["sheng", "xing"]),
    ('藏', &["cang", "zang"]),
    ('弘', &["hong"]),
    ('茜', &["qian", "xi"]),
    ('婧', &["jing"]),
    ('曾', &["zeng", "ceng"]),
    ('单', &["dan", "shan"]),
];

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Original char index for every byte of an ASCII run; one entry (the
    /// character's index) for a Chinese character.
    pub chars: Vec<usize>,
    /// Distinct readings, lower-case ASCII; the first is the most common.
    pub readings: Vec<String>,
    pub cjk: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NameInfo {
    pub units: Vec<Unit>,
    pub has_cjk: bool,
    /// Number of leading units that form the surname (0, 1 or 2).
    pub surname_units: usize,
}

/// Toneless reading as typed on a keyboard: 'ü' -> 'v' (and a 'u' alternative).
fn push_reading(plain: &str, out: &mut Vec<String>) {
    let mut v = String::with_capacity(plain.len());
    let mut has_u_umlaut = false;
    for c in plain.chars() {
        match c {
            'ü' => {
                v.push('v');
                has_u_umlaut = true;
            }
            'ê' => v.push('e'),
            c if c.is_ascii_alphabetic() => v.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    if v.is_empty() {
        return;
    }
    let alt = has_u_umlaut.then(|| v.replace('v', "u"));
    for r in std::iter::once(v).chain(alt) {
        if out.len() < MAX_READINGS && !out.contains(&r) {
            out.push(r);
        }
    }
}

/// Splits a name into units.
pub(crate) fn analyze(name: &str) -> NameInfo {
    let mut units: Vec<Unit> = Vec::new();
    let mut run: Option<Unit> = None;
    let mut has_cjk = false;
    for (i, c) in name.chars().enumerate() {
        let mut folded = [None::<char>; 3];
        let mut n = 0;
        fold_char(c, |f| {
            if n < folded.len() {
                folded[n] = Some(f);
                n += 1;
            }
        });
        if n == 0 {
            // Dropped character (space, separator, control): ends a word.
            if let Some(u) = run.take() {
                units.push(u);
            }
            continue;
        }
        for f in folded.iter().flatten().copied() {
            if f.is_ascii_alphanumeric() {
                let u = run.get_or_insert_with(|| Unit {
                    chars: Vec::new(),
                    readings: vec![String::new()],
                    cjk: false,
                });
                u.chars.push(i);
                if let Some(r) = u.readings.first_mut() {
                    r.push(f);
                }
                continue;
            }
            if let Some(u) = run.take() {
                units.push(u);
            }
            if let Some(multi) = f.to_pinyin_multi() {
                let mut readings = Vec::new();
                for p in multi {
                    push_reading(p.plain(), &mut readings);
                }
                if !readings.is_empty() {
                    has_cjk = true;
                    units.push(Unit {
                        chars: vec![i],
                        readings,
                        cjk: true,
                    });
                }
            }
        }
    }
    if let Some(u) = run.take() {
        units.push(u);
    }
    let surname_units = match units.first() {
        Some(u) if u.cjk => {
            let two: String = name
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(2)
                .collect();
            if units.len() > 2 && units[1].cjk && COMPOUND_SURNAMES.contains(&two.as_str()) {
                2
            } else {
                1
            }
        }
        _ => 0,
    };
    // Given-name characters: the primary reading, or the curated ones.
    let chars: Vec<char> = name.chars().collect();
    for u in units.iter_mut().skip(surname_units).filter(|u| u.cjk) {
        let curated = u
            .chars
            .first()
            .and_then(|&i| chars.get(i))
            .and_then(|c| GIVEN_HETERONYMS.iter().find(|(h, _)| h == c));
        match curated {
            Some((_, readings)) => {
                // The dictionary's primary reading first when it is one of
                // them, then the others.
                let mut keep: Vec<String> = u
                    .readings
                    .first()
                    .filter(|p| readings.contains(&p.as_str()))
                    .cloned()
                    .into_iter()
                    .collect();
                for r in readings.iter() {
                    if !keep.iter().any(|k| k == r) {
                        keep.push((*r).to_string());
                    }
                }
                u.readings = keep;
            }
            None => u.readings.truncate(1),
        }
    }
    NameInfo {
        units,
        has_cjk,
        surname_units,
    }
}

/// Reading choices (one index per unit), bounded by [`MAX_VARIANTS`]:
/// the primary reading of every unit; every combination of the surname's
/// readings (单 shan/dan, 尉迟 yuchi/weichi); then each other character's
/// alternative readings one at a time.
pub(crate) fn choices(info: &NameInfo) -> Vec<Vec<u8>> {
    let n = info.units.len();
    if !info.has_cjk || n == 0 {
        return Vec::new();
    }
    let count = |i: usize| info.units[i].readings.len().min(MAX_READINGS) as u8;
    let mut out: Vec<Vec<u8>> = vec![vec![0; n]];
    let push = |c: Vec<u8>, out: &mut Vec<Vec<u8>>| {
        if out.len() < MAX_VARIANTS * 2 && !out.contains(&c) {
            out.push(c);
        }
    };
    match info.surname_units {
        1 => {
            for a in 0..count(0) {
                let mut c = vec![0; n];
                c[0] = a;
                push(c, &mut out);
            }
        }
        2 => {
            for a in 0..count(0) {
                for b in 0..count(1) {
                    let mut c = vec![0; n];
                    c[0] = a;
                    c[1] = b;
                    push(c, &mut out);
                }
            }
        }
        _ => {}
    }
    for i in info.surname_units..n {
        for j in 1..count(i) {
            let mut c = vec![0; n];
            c[i] = j;
            push(c, &mut out);
        }
    }
    out
}

/// Full pinyin of one choice, with the byte length of every unit.
pub(crate) fn pinyin_of(info: &NameInfo, choice: &[u8]) -> (String, Vec<usize>) {
    let mut s = String::new();
    let mut lens = Vec::with_capacity(choice.len());
    for (u, &c) in info.units.iter().zip(choice) {
        let r = u
            .readings
            .get(usize::from(c))
            .or_else(|| u.readings.first())
            .map_or("", String::as_str);
        s.push_str(r);
        lens.push(r.len());
    }
    (s, lens)
}

/// Initials of one choice (first letter of every unit).
pub(crate) fn initials_of(info: &NameInfo, choice: &[u8]) -> String {
    let mut s = String::with_capacity(choice.len());
    for (u, &c) in info.units.iter().zip(choice) {
        let r = u
            .readings
            .get(usize::from(c))
            .or_else(|| u.readings.first());
        if let Some(ch) = r.and_then(|r| r.chars().next()) {
            s.push(ch);
        }
    }
    s
}

/// Distinct full-pinyin variants (with unit lengths) and distinct initials,
/// each list capped at [`MAX_VARIANTS`].
pub(crate) type Variants = (Vec<(String, Vec<usize>)>, Vec<String>);

pub(crate) fn variants(info: &NameInfo) -> Variants {
    let mut full: Vec<(String, Vec<usize>)> = Vec::new();
    let mut ini: Vec<String> = Vec::new();
    for c in choices(info) {
        let (p, lens) = pinyin_of(info, &c);
        if full.len() < MAX_VARIANTS && !full.iter().any(|(q, _)| *q == p) {
            full.push((p, lens));
        }
        let i = initials_of(info, &c);
        if info.units.len() >= 2 && ini.len() < MAX_VARIANTS && !ini.contains(&i) {
            ini.push(i);
        }
    }
    (full, ini)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(name: &str) -> Vec<String> {
        variants(&analyze(name))
            .0
            .into_iter()
            .map(|v| v.0)
            .collect()
    }

    #[test]
    fn heteronym_surnames_have_all_readings() {
        let v = full("单田芳");
        assert!(v.contains(&"shantianfang".to_string()), "{v:?}");
        assert!(v.contains(&"dantianfang".to_string()), "{v:?}");
        let v = full("尉迟恭");
        assert!(v.contains(&"yuchigong".to_string()), "{v:?}");
        let v = full("曾伟");
        assert!(v.contains(&"zengwei".to_string()) && v.contains(&"cengwei".to_string()));
        let v = full("吕布");
        assert!(v.contains(&"lvbu".to_string()) && v.contains(&"lubu".to_string()));
    }

    #[test]
    fn given_names_use_the_primary_reading_unless_curated() {
        // 俊 is also listed as shun/dun, 思 as sai: not indexed.
        assert_eq!(full("郑俊杰"), vec!["zhengjunjie".to_string()]);
        assert_eq!(full("张思远"), vec!["zhangsiyuan".to_string()]);
        let (_, ini) = variants(&analyze("郑俊杰"));
        assert_eq!(ini, vec!["zjj".to_string()]);
        // Common given-name heteronyms keep both readings.
        let v = full("李乐");
        assert!(
            v.contains(&"lile".to_string()) && v.contains(&"liyue".to_string()),
            "{v:?}"
        );
        let v = full("王长江");
        assert!(
            v.contains(&"wangchangjiang".to_string()) && v.contains(&"wangzhangjiang".to_string())
        );
        // The surname keeps every reading.
        let v = full("单俊");
        assert!(
            v.contains(&"shanjun".to_string()) && v.contains(&"danjun".to_string()),
            "{v:?}"
        );
    }

    #[test]
    fn variants_are_bounded() {
        for name in ["朴和乐长行重", "单解仇朴区查", "万俟和乐"] {
            let (f, i) = variants(&analyze(name));
            assert!(!f.is_empty() && f.len() <= MAX_VARIANTS);
            assert!(i.len() <= MAX_VARIANTS);
        }
    }

    #[test]
    fn latin_and_mixed_units() {
        let info = analyze("Li Wei");
        assert!(!info.has_cjk);
        assert_eq!(info.units.len(), 2);
        let info = analyze("张San");
        assert!(info.has_cjk);
        assert_eq!(full("张San"), vec!["zhangsan".to_string()]);
    }
}
