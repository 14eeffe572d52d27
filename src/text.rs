//! Untrusted text (names, notes, intake JSON, CSV cells) is checked where it
//! enters and cleaned again before it is drawn (shared/DESIGN.md "Text from
//! outside is untrusted"). Control characters (C0, DEL, C1, so ESC and every
//! terminal escape) are refused at entry; invisible formatting characters
//! (bidi overrides, zero-width) are dropped silently, since they arrive from
//! copy-and-paste as often as from attacks.
use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Result};

/// Invisible characters that can reorder or hide text on screen.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
}

/// Checks and cleans one single-line field: refuses control characters,
/// drops invisible formatting, trims, and enforces a maximum length in chars.
pub fn clean_line(field: &str, s: &str, max_chars: usize) -> Result<String> {
    clean(field, s, max_chars, false)
}

/// Like [`clean_line`] but keeps line breaks and tabs; CR LF and lone CR
/// become LF.
pub fn clean_multiline(field: &str, s: &str, max_chars: usize) -> Result<String> {
    clean(field, s, max_chars, true)
}

fn clean(field: &str, s: &str, max_chars: usize, multiline: bool) -> Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut count = 0usize;
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' if multiline => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            '\u{2028}' | '\u{2029}' if multiline => '\n',
            '\n' | '\t' if multiline => c,
            c if is_invisible_format(c) => continue,
            c if is_control(c) || c == '\u{2028}' || c == '\u{2029}' => {
                return Err(Error::invalid(
                    field,
                    format!(
                        "contains a control character U+{:04X} at character {}",
                        c as u32,
                        count + 1
                    ),
                ));
            }
            c => c,
        };
        count += 1;
        if count > max_chars {
            return Err(Error::invalid(
                field,
                format!("is too long (more than {max_chars} characters)"),
            ));
        }
        out.push(c);
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        Ok(out)
    } else {
        Ok(trimmed.to_string())
    }
}

/// Defensive cleaning for the render layer: whatever is in the database, no
/// control or escape character reaches the terminal. Line breaks and tabs
/// become spaces (for single-line cells); everything else unsafe is dropped.
pub fn for_display(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| !is_control(c) && !is_invisible_format(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if is_control(c) || is_invisible_format(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Cleans multi-line text for display, one cleaned line per item.
pub fn display_lines(s: &str) -> impl Iterator<Item = Cow<'_, str>> {
    s.split('\n').map(for_display)
}

/// A cell for a CSV file hotline writes: a cell a spreadsheet would read as
/// a formula (`=HYPERLINK(…)`, `=cmd|…`, `+…`, `-…`, `@…`, or one starting
/// with a tab or CR) gets a leading `'`, so it is shown as text and never
/// executed (OWASP "CSV injection").
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// Display width in terminal cells (CJK characters take two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` terminal cells, adding '…' when cut, so columns
/// of mixed Chinese and Latin text line up.
pub fn truncate_to_width(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Pads with spaces to exactly `cells` terminal cells (after truncating).
pub fn pad_to_width(s: &str, cells: usize) -> String {
    let t = truncate_to_width(s, cells);
    let w = width(&t);
    let mut out = t.into_owned();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The injection corpus also used by the TUI tests.
    pub const NASTY: &[&str] = &[
        "\u{1b}[2J",
        "\u{1b}]0;pwned\u{7}",
        "\u{9b}31m",
        "\u{202e}evil",
        "a\u{0}b",
        "\u{7f}",
        "zero\u{200b}width",
    ];

    #[test]
    fn refuses_escape_and_c1_naming_the_field() {
        for s in ["x\u{1b}[2J", "\u{9b}31m", "a\u{0}b", "\u{7f}", "a\u{7}"] {
            let e = clean_line("name", s, 100).unwrap_err().to_string();
            assert!(e.starts_with("name: contains a control character"), "{e}");
        }
    }

    #[test]
    fn drops_bidi_and_zero_width() {
        assert_eq!(clean_line("n", "\u{202e}evil", 10).unwrap(), "evil");
        assert_eq!(clean_line("n", "张\u{200b}三", 10).unwrap(), "张三");
    }

    #[test]
    fn multiline_keeps_breaks_and_normalises_cr() {
        assert_eq!(
            clean_multiline("d", "a\r\nb\rc\td", 100).unwrap(),
            "a\nb\nc\td"
        );
        assert!(clean_line("s", "a\nb", 100).is_err());
    }

    #[test]
    fn length_is_counted_in_chars() {
        assert!(clean_line("s", &"长".repeat(10), 10).is_ok());
        let e = clean_line("s", &"长".repeat(11), 10).unwrap_err();
        assert!(e.to_string().contains("too long"));
    }

    #[test]
    fn display_never_lets_an_escape_through() {
        for s in NASTY {
            let d = for_display(s);
            assert!(d.chars().all(|c| !c.is_control()), "{d:?}");
            assert!(!d.contains('\u{202e}'));
        }
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for s in [
            "=HYPERLINK(\"http://x\")",
            "=cmd|' /C calc'!A0",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
        ] {
            assert!(csv_cell(s).starts_with('\''), "{s}");
        }
        assert_eq!(csv_cell("张三"), "张三");
        assert_eq!(csv_cell("13800138000"), "13800138000");
    }

    #[test]
    fn widths_line_up_for_chinese() {
        assert_eq!(width("张三"), 4);
        assert_eq!(pad_to_width("张三丰", 5), "张三…");
        assert_eq!(width(&pad_to_width("张三丰", 5)), 5);
        assert_eq!(pad_to_width("Li", 5), "Li   ");
        assert_eq!(width(&pad_to_width("张三", 3)), 3);
    }
}
