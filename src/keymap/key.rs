//! Key combinations: parsing (`"Ctrl-c"`), formatting and matching against
//! crossterm key events.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The only modifiers a keymap can name; others (Super, Hyper, Meta) that a
/// terminal may report are ignored when matching.
const KNOWN_MODS: KeyModifiers = KeyModifiers::SHIFT
    .union(KeyModifiers::CONTROL)
    .union(KeyModifiers::ALT);

/// One key plus modifiers, in a normal form so that equal keys compare equal:
///
/// * characters never carry SHIFT: `Shift-j`, `J` and a terminal's
///   `J`+SHIFT are all `Char('J')`, and `?`+SHIFT is `?`;
/// * with Ctrl, ASCII letters are lower case: `Ctrl-C` is `Ctrl-c`;
/// * `Shift-Tab` is `BackTab` without SHIFT.
///
/// Build with [`KeyCombo::new`] or [`parse_key`], which normalise. The fields
/// are public for pattern matching; a combo built by hand in another form
/// simply never matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyCombo {
    /// A normalised combo.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> KeyCombo {
        let mut mods = mods & KNOWN_MODS;
        let shift = mods.contains(KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_alphabetic() {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shift {
                    KeyCode::Char(single_upper(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if shift => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyCombo { code, mods }
    }

    /// The combo a key press stands for; `None` for key releases (reported by
    /// terminals with the kitty protocol and on Windows).
    pub fn from_event(event: &KeyEvent) -> Option<KeyCombo> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        Some(KeyCombo::new(event.code, event.modifiers))
    }

    /// A character typed without Ctrl or Alt — text, in an input field.
    pub fn is_plain_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

fn single_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Key names, case-insensitive. The first name of each is the canonical one.
const NAMES: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Return", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Escape", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Del", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Ins", KeyCode::Insert),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PgUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("PgDn", KeyCode::PageDown),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Space", KeyCode::Char(' ')),
];

fn named_key(name: &str) -> Option<KeyCode> {
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(*code);
    }
    let digits = name.strip_prefix(['F', 'f'])?;
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.parse::<u8>() {
        Ok(n @ 1..=12) => Some(KeyCode::F(n)),
        _ => None,
    }
}

/// Parses `"j"`, `"J"`, `"?"`, `"Enter"`, `"F5"`, `"Ctrl-c"`, `"Alt-x"`,
/// `"Shift-Tab"`, `"Ctrl-Alt-Delete"`… Key and modifier names are
/// case-insensitive; single characters are not (`"J"` is Shift-j), except
/// after `Ctrl-` (`"Ctrl-C"` is `"Ctrl-c"`).
pub fn parse_key(s: &str) -> Result<KeyCombo, String> {
    if s.is_empty() {
        return Err("empty key".to_owned());
    }
    let mut rest = s;
    let mut mods = KeyModifiers::NONE;
    while let Some((prefix, tail)) = rest.split_once('-') {
        if tail.is_empty() {
            break; // "-" itself, or "Ctrl--"'s last dash
        }
        let m = match prefix.to_ascii_lowercase().as_str() {
            "ctrl" | "control" => KeyModifiers::CONTROL,
            "alt" => KeyModifiers::ALT,
            "shift" => KeyModifiers::SHIFT,
            _ => break,
        };
        if mods.contains(m) {
            return Err(format!("key \"{s}\" repeats the modifier \"{prefix}\""));
        }
        mods |= m;
        rest = tail;
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_control() => {
            return Err(format!(
                "key \"{s}\" is a control character; use a key name such as Enter or Tab"
            ));
        }
        (Some(c), None) => KeyCode::Char(c),
        _ => named_key(rest).ok_or_else(|| {
            format!(
                "unknown key \"{s}\" (use one character, a key name such as Enter, Esc, \
                 PageDown or F1, optionally after Ctrl-, Alt- or Shift-)"
            )
        })?,
    };
    if let KeyCode::Char(c) = code
        && mods.contains(KeyModifiers::SHIFT)
        && !c.is_alphabetic()
    {
        return Err(format!(
            "key \"{s}\": Shift- only goes with letters; write the character the \
             terminal sends instead (e.g. \"?\", not \"Shift-/\")"
        ));
    }
    Ok(KeyCombo::new(code, mods))
}

/// The canonical text of a key, as shown in the help overlay and status-bar
/// hints: `"j"`, `"J"`, `"Ctrl-c"`, `"Enter"`, `"Shift-Tab"`, `"Space"`.
/// [`parse_key`] reads it back to the same combo.
pub fn format_key(key: &KeyCombo) -> String {
    let key = KeyCombo::new(key.code, key.mods);
    let mut out = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    if key.mods.contains(KeyModifiers::SHIFT) {
        out.push_str("Shift-");
    }
    match key.code {
        KeyCode::Char(' ') => out.push_str("Space"),
        KeyCode::Char(c) => out.push(c),
        KeyCode::F(n) => {
            out.push('F');
            out.push_str(&n.to_string());
        }
        KeyCode::BackTab => out.push_str("Shift-Tab"),
        code => match NAMES.iter().find(|(_, c)| *c == code) {
            Some((name, _)) => out.push_str(name),
            // Not nameable in a keymap file, so never bound; still printable.
            None => out.push_str(&format!("{code:?}")),
        },
    }
    out
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_key(self))
    }
}

impl FromStr for KeyCombo {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_key(s)
    }
}
