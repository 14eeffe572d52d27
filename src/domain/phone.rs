//! Phone numbers (shared/SPEC.md "Records"): stored normalised (digits, with
//! `+` where given, extension after `x`), shown grouped, masked in lists (R30).

/// Normalises a phone number as typed, or says what is wrong with it.
/// Accepts separators (space, `-`, `.`, `/`, `(`, `)`, their full-width
/// forms), full-width digits, a leading `+` or `00` country code, and an
/// extension after `ext`, `x`, `#`, `转`, `分机` or a third `-` group.
pub fn normalize(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is empty".into());
    }
    let (main, ext) = split_extension(s);
    let mut out = String::with_capacity(main.len() + 1);
    for (i, c) in main.chars().enumerate() {
        match (digit_of(c), c) {
            (Some(d), _) => out.push(d),
            (None, '+' | '＋') if i == 0 => out.push('+'),
            _ if is_separator(c) => {}
            _ => {
                return Err(format!(
                    "{input:?} is not a phone number (unexpected {c:?})"
                ));
            }
        }
    }
    // 0086 is the same country code as +86.
    if let Some(rest) = out.strip_prefix("0086") {
        out = format!("+86{rest}");
    }
    let digits = out.trim_start_matches('+');
    let national = if out.starts_with("+86") {
        &digits[2..]
    } else {
        digits
    };
    check_digits(input, &out, national)?;
    // Full-width digits in the extension count as digits.
    let ext = ext.map(|e| {
        e.chars()
            .map(|c| digit_of(c).unwrap_or(c))
            .collect::<String>()
    });
    match ext {
        Some(e) if !e.is_empty() && e.len() <= 6 && e.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(format!("{out}x{e}"))
        }
        Some(e) => Err(format!("{input:?} has a bad extension {e:?}")),
        None => Ok(out),
    }
}

/// An ASCII or full-width digit, as its ASCII form.
pub fn digit_of(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => None,
    }
}

/// What people put between the groups of a phone number.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '/'
            | '('
            | ')'
            | '\u{3000}'
            | '－'
            | '．'
            | '／'
            | '（'
            | '）'
            | '‐'
            | '–'
            | '—'
    )
}

/// Words that start an extension, longest first where one contains another.
const EXTENSION_MARKERS: [&str; 8] = ["分机", "转", "ext.", "ext", "EXT", "x", "X", "#"];

fn split_extension(s: &str) -> (&str, Option<String>) {
    for marker in EXTENSION_MARKERS {
        if let Some(i) = s.find(marker) {
            let ext: String = s[i + marker.len()..].trim().to_string();
            return (s[..i].trim(), Some(ext));
        }
    }
    // A landline written 010-12345678-123: the third group is the extension.
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3 && parts[0].starts_with('0') && parts.iter().all(|p| !p.is_empty()) {
        let main_len = parts[0].len() + 1 + parts[1].len();
        return (&s[..main_len], Some(parts[2].trim().to_string()));
    }
    (s, None)
}

/// A phone number as people write it inside other text (a search query):
/// `+86 183 5465 1587`, `(010) 8888-1234 转123`, `１３８ 0013 8000`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Byte range in the text, the extension included.
    pub range: std::ops::Range<usize>,
    /// The digits to look for: the national number when the country is
    /// China (`+86`, `0086`, or `86` before a mobile), else every digit.
    pub digits: String,
    pub ext: Option<String>,
    /// The digits are a whole number `normalize` accepts (else a part).
    pub whole: bool,
}

/// Mainland mobile: 11 digits starting 1[3-9].
fn is_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The phone numbers written in `text` that need reading: several digit
/// groups (joined into one), a country code, full-width digits,
/// parentheses or an extension. A run of digits glued to a letter (a code
/// `K0001`, a plate `b12345`) is never one; neither is a single plain group
/// of digits, which already reads as itself, nor more than 15 digits.
// One left-to-right scanner whose states share the cursor and the group
// list; split into helpers it would pass all of them around.
#[allow(clippy::too_many_lines)]
pub fn written_in(text: &str) -> Vec<Written> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let starts = digit_of(c).is_some() || matches!(c, '+' | '＋' | '(' | '（');
        let glued = i > 0 && chars[i - 1].1.is_alphanumeric();
        if !starts || glued {
            i += 1;
            continue;
        }
        let plus = matches!(c, '+' | '＋');
        let mut j = if plus { i + 1 } else { i };
        let (mut digits, mut groups, mut last_digit) = (String::new(), 0, None);
        let mut marked = plus; // written with something beyond plain digits
        let mut in_group = false;
        while j < chars.len() {
            let c = chars[j].1;
            if let Some(d) = digit_of(c) {
                marked |= d != c;
                digits.push(d);
                if !in_group {
                    groups += 1;
                }
                in_group = true;
                last_digit = Some(j);
            } else if is_separator(c) {
                marked |= matches!(c, '(' | ')' | '（' | '）' | '/');
                in_group = false;
            } else {
                break;
            }
            j += 1;
        }
        let Some(last) = last_digit else {
            i = j.max(i + 1);
            continue;
        };
        // An extension right after the number.
        let mut end = last + 1;
        let mut ext = None;
        let mut k = end;
        while k < chars.len() && chars[k].1 == ' ' {
            k += 1;
        }
        let rest = &text[byte_at(k)..];
        if let Some(m) = EXTENSION_MARKERS.iter().find(|m| rest.starts_with(*m)) {
            let mut e = k + m.chars().count();
            while e < chars.len() && chars[e].1 == ' ' {
                e += 1;
            }
            let from = e;
            let mut x = String::new();
            while e < chars.len()
                && let Some(d) = digit_of(chars[e].1)
            {
                x.push(d);
                e += 1;
            }
            if (1..=6).contains(&(e - from)) && chars.get(e).is_none_or(|c| !c.1.is_alphanumeric())
            {
                ext = Some(x);
                end = e;
            }
        }
        if ext.is_none() && chars.get(end).is_some_and(|c| c.1.is_alphanumeric()) {
            i = end;
            continue; // "1234b": digits glued to what follows
        }
        let national = if plus {
            match digits.strip_prefix("86") {
                Some(n) if !is_mobile(n) && n.len() >= 9 && !n.starts_with('0') => {
                    format!("0{n}")
                }
                Some(n) => n.to_string(),
                None => digits.clone(),
            }
        } else if let Some(n) = digits.strip_prefix("0086") {
            marked = true;
            if !is_mobile(n) && n.len() >= 9 && !n.starts_with('0') {
                format!("0{n}")
            } else {
                n.to_string()
            }
        } else if let Some(n) = digits.strip_prefix("86").filter(|n| is_mobile(n)) {
            marked = true;
            n.to_string()
        } else {
            digits.clone()
        };
        let reads = marked || groups >= 2 || ext.is_some();
        if reads && digits.len() <= 15 && digits.len() >= 3 {
            let whole = normalize(&national).is_ok();
            out.push(Written {
                range: byte_at(i)..byte_at(end),
                digits: national,
                ext,
                whole,
            });
        }
        i = end.max(i + 1);
    }
    out
}

fn check_digits(input: &str, full: &str, national: &str) -> Result<(), String> {
    let n = national.len();
    let bad = |why: &str| Err(format!("{input:?} is not a phone number ({why})"));
    if national.is_empty() {
        return bad("no digits");
    }
    if full.starts_with('+') && !full.starts_with("+86") {
        // Another country: E.164 allows up to 15 digits.
        return if (6..=15).contains(&full[1..].len()) {
            Ok(())
        } else {
            bad("wrong length")
        };
    }
    let b = national.as_bytes();
    match b[0] {
        b'1' if n == 11 => {
            if (b'3'..=b'9').contains(&b[1]) {
                Ok(())
            } else {
                bad("mobiles start 13-19")
            }
        }
        b'1' if (3..=5).contains(&n) => Ok(()), // service numbers: 110, 12315, 12345
        b'0' if (10..=12).contains(&n) => Ok(()), // area code + 7-8 digits
        b'4' | b'8' if n == 10 => Ok(()),       // 400/800 numbers
        b'9' if n == 5 => Ok(()),               // 95xxx service numbers
        _ => bad("wrong length"),
    }
}

fn split_ext(p: &str) -> (&str, Option<&str>) {
    match p.find('x') {
        Some(i) => (&p[..i], Some(&p[i + 1..])),
        None => (p, None),
    }
}

/// Length of the area code of a mainland landline (digits after the `0`
/// included): 010 and 02x are three digits, the others four.
fn area_code_len(d: &str) -> usize {
    if d.starts_with("010") || d.starts_with("02") {
        3
    } else {
        4
    }
}

/// Whether `p` has the stored shape (digits, a leading `+`, an `x` before
/// the extension). Anything else came from outside `normalize` and is
/// never sliced by byte position.
fn is_normalized(p: &str) -> bool {
    !p.is_empty()
        && p.bytes()
            .all(|b| b.is_ascii_digit() || b == b'+' || b == b'x')
}

/// Grouped for reading: `138 0013 8000`, `010-12345678`, `+86 138 0013 8000`.
pub fn display(p: &str) -> String {
    if !is_normalized(p) {
        return p.to_string();
    }
    let (main, ext) = split_ext(p);
    let (prefix, national) = match main.strip_prefix("+86") {
        Some(rest) => ("+86 ", rest),
        None => ("", main),
    };
    let grouped = if national.len() == 11 && national.starts_with('1') {
        format!("{} {} {}", &national[..3], &national[3..7], &national[7..])
    } else if national.starts_with('0') && national.len() >= 10 {
        let a = area_code_len(national);
        format!("{}-{}", &national[..a], &national[a..])
    } else {
        national.to_string()
    };
    match ext {
        Some(e) => format!("{prefix}{grouped} ext {e}"),
        None => format!("{prefix}{grouped}"),
    }
}

/// Masked for lists (R30): `138****5678`; landlines keep the area code.
pub fn mask(p: &str) -> String {
    if !is_normalized(p) {
        return "*".repeat(p.chars().count().clamp(1, 11));
    }
    let (main, _) = split_ext(p);
    let national = main.strip_prefix("+86").unwrap_or(main);
    // A foreign `+` prefix is not a digit: counting it would let a 4-digit
    // number show whole as `*1234`.
    let national = national.strip_prefix('+').unwrap_or(national);
    let n = national.len();
    if n == 11 && national.starts_with('1') {
        format!("{}****{}", &national[..3], &national[7..])
    } else if national.starts_with('0') && n >= 10 {
        let a = area_code_len(national);
        format!("{}-****{}", &national[..a], &national[n - 4..])
    } else if n > 4 {
        format!("{}{}", "*".repeat(n - 4), &national[n - 4..])
    } else {
        "*".repeat(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_usual_forms() {
        assert_eq!(normalize("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(normalize("+86 138-0013-8000").unwrap(), "+8613800138000");
        assert_eq!(normalize("010-12345678").unwrap(), "01012345678");
        assert_eq!(normalize("0755-1234567").unwrap(), "07551234567");
        assert_eq!(normalize("010-12345678-123").unwrap(), "01012345678x123");
        assert_eq!(normalize("(010) 12345678 转 88").unwrap(), "01012345678x88");
        assert_eq!(normalize("+44 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(normalize("400-820-8820").unwrap(), "4008208820");
        assert_eq!(normalize("12315").unwrap(), "12315");
    }

    #[test]
    fn refuses_letters_and_wrong_lengths() {
        for bad in [
            "1380013800a",
            "abc",
            "",
            "12800138000",
            "1380013800",
            "0101234",
            "+1",
            "138+0013",
        ] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
        assert!(normalize("13800138000 ext 12a").is_err());
    }

    #[test]
    fn r30_masks_in_lists() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("+8613812345678"), "138****5678");
        assert_eq!(mask("01012345678x12"), "010-****5678");
        assert_eq!(mask("07551234567"), "0755-****4567");
        assert!(!mask("+442079460958").contains("2079"));
    }

    #[test]
    fn text_that_is_not_a_stored_phone_never_panics() {
        for odd in [
            "1a中文字",
            "1中文字中文字中文",
            "",
            "+",
            "x",
            "0中文中文中文",
        ] {
            let m = mask(odd);
            assert!(m.chars().all(|c| c == '*'), "{odd:?} -> {m:?}");
            let _ = display(odd);
        }
    }

    #[test]
    fn reads_numbers_as_people_write_them() {
        let one = |q: &str| {
            let w = written_in(q);
            assert_eq!(w.len(), 1, "{q:?} -> {w:?}");
            (w[0].digits.clone(), w[0].ext.clone(), w[0].whole)
        };
        for q in [
            "+86 183 5465 1587",
            "0086 183-5465-1587",
            "+86 (183) 5465.1587",
            "183/5465/1587",
            "１８３ ５４６５ １５８７",
            "＋８６ １８３５４６５１５８７",
            "8618354651587",
        ] {
            assert_eq!(one(q), ("18354651587".into(), None, true), "{q}");
        }
        assert_eq!(one("(010) 8888-1234"), ("01088881234".into(), None, true));
        assert_eq!(
            one("(010) 8888-1234 转123"),
            ("01088881234".into(), Some("123".into()), true)
        );
        assert_eq!(
            one("0755-1234567 ext. 88"),
            ("07551234567".into(), Some("88".into()), true)
        );
        assert_eq!(
            one("138 0013 8000 x12"),
            ("13800138000".into(), Some("12".into()), true)
        );
        assert_eq!(one("+86 10 8888 1234"), ("01088881234".into(), None, true));
        // Parts of a number are the digits they contain.
        assert_eq!(one("183-5465"), ("1835465".into(), None, false));
        assert_eq!(one("5465 1587"), ("54651587".into(), None, false));
        // Inside other text, with its range.
        let w = written_in("张三 +86 183 5465 1587 南山");
        assert_eq!(w.len(), 1);
        assert_eq!(
            &"张三 +86 183 5465 1587 南山"[w[0].range.clone()],
            "+86 183 5465 1587"
        );
    }

    #[test]
    fn codes_plates_and_plain_digits_are_not_read() {
        for q in [
            "13800138000",
            "5678",
            "zs 5678",
            "k0001",
            "K0001-2345",
            "粤b12345",
            "b123 45x",
            "1234b",
            "12345678901234567890",
        ] {
            assert!(written_in(q).is_empty(), "{q:?} -> {:?}", written_in(q));
        }
        // 86 before something that is not a mobile stays digits.
        assert!(written_in("8612345").is_empty());
    }

    #[test]
    fn normalize_takes_full_width_and_0086() {
        assert_eq!(normalize("１３８００１３８０００").unwrap(), "13800138000");
        assert_eq!(normalize("0086 138 0013 8000").unwrap(), "+8613800138000");
        assert_eq!(
            normalize("（010）12345678 分机 ８８").unwrap(),
            "01012345678x88"
        );
        assert_eq!(normalize("010/12345678").unwrap(), "01012345678");
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(display("13800138000"), "138 0013 8000");
        assert_eq!(display("+8613800138000"), "+86 138 0013 8000");
        assert_eq!(display("01012345678x123"), "010-12345678 ext 123");
        assert_eq!(display("07551234567"), "0755-1234567");
    }
}
