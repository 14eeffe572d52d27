//! Phone numbers (shared/SPEC.md "Records"): stored normalised (digits, with
//! `+` where given, extension after `x`), shown grouped, masked in lists (R30).

/// Normalises a phone number as typed, or says what is wrong with it.
/// Accepts separators (space, `-`, `.`, `(`, `)`), a leading `+` country
/// code, and an extension after `ext`, `x`, `#`, `转` or a third `-` group.
pub fn normalize(input: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("is empty".into());
    }
    let (main, ext) = split_extension(s);
    let mut out = String::with_capacity(main.len() + 1);
    for (i, c) in main.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push('+'),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => {
                return Err(format!(
                    "{input:?} is not a phone number (unexpected {c:?})"
                ));
            }
        }
    }
    let digits = out.trim_start_matches('+');
    let national = if out.starts_with("+86") {
        &digits[2..]
    } else {
        digits
    };
    check_digits(input, &out, national)?;
    match ext {
        Some(e) if !e.is_empty() && e.len() <= 6 && e.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(format!("{out}x{e}"))
        }
        Some(e) => Err(format!("{input:?} has a bad extension {e:?}")),
        None => Ok(out),
    }
}

fn split_extension(s: &str) -> (&str, Option<String>) {
    for marker in ["转", "ext.", "ext", "x", "X", "#"] {
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
    fn displays_grouped() {
        assert_eq!(display("13800138000"), "138 0013 8000");
        assert_eq!(display("+8613800138000"), "+86 138 0013 8000");
        assert_eq!(display("01012345678x123"), "010-12345678 ext 123");
        assert_eq!(display("07551234567"), "0755-1234567");
    }
}
