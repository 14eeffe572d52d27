//! Action and context names, key names, and how key events match.
use super::*;

// ---- names -------------------------------------------------------------

#[test]
fn action_and_context_names_round_trip_and_match_serde() {
    for a in Action::ALL {
        assert_eq!(a.name().parse::<Action>().unwrap(), *a);
        let via_serde: Action = toml::Value::String(a.name().into()).try_into().unwrap();
        assert_eq!(via_serde, *a, "serde name of {a:?}");
    }
    for c in Context::ALL {
        assert_eq!(c.name().parse::<Context>().unwrap(), *c);
        let via_serde: Context = toml::Value::String(c.name().into()).try_into().unwrap();
        assert_eq!(via_serde, *c, "serde name of {c:?}");
    }
    assert_eq!(Action::ALL.len(), 40);
    assert_eq!(Context::ALL.len(), 10);
    assert_eq!(Action::StartWork.name(), "start_work");
    assert!("Claim".parse::<Action>().is_err());
    assert_eq!(
        "clam".parse::<Action>().unwrap_err().to_string(),
        "unknown action \"clam\""
    );
}

// ---- parse_key / format_key ----------------------------------------------

#[test]
fn parse_format_round_trip_every_form() {
    // (written, canonical)
    let cases = [
        ("j", "j"),
        ("?", "?"),
        ("/", "/"),
        ("+", "+"),
        ("-", "-"),
        ("1", "1"),
        ("J", "J"),
        ("Shift-j", "J"),
        ("shift-J", "J"),
        ("Enter", "Enter"),
        ("enter", "Enter"),
        ("Return", "Enter"),
        ("Esc", "Esc"),
        ("ESCAPE", "Esc"),
        ("Tab", "Tab"),
        ("BackTab", "Shift-Tab"),
        ("Shift-Tab", "Shift-Tab"),
        ("shift-tab", "Shift-Tab"),
        ("Backspace", "Backspace"),
        ("Delete", "Delete"),
        ("Insert", "Insert"),
        ("Home", "Home"),
        ("End", "End"),
        ("PageUp", "PageUp"),
        ("pagedown", "PageDown"),
        ("Up", "Up"),
        ("Down", "Down"),
        ("Left", "Left"),
        ("Right", "Right"),
        ("Space", "Space"),
        (" ", "Space"),
        ("F1", "F1"),
        ("f12", "F12"),
        ("Ctrl-c", "Ctrl-c"),
        ("Ctrl-C", "Ctrl-c"),
        ("ctrl-c", "Ctrl-c"),
        ("Ctrl-Shift-c", "Ctrl-c"),
        ("Alt-x", "Alt-x"),
        ("Alt-X", "Alt-X"),
        ("Alt-Shift-x", "Alt-X"),
        ("Ctrl-Alt-Delete", "Ctrl-Alt-Delete"),
        ("Alt-Ctrl-Delete", "Ctrl-Alt-Delete"),
        ("Shift-Up", "Shift-Up"),
        ("Ctrl-Shift-Tab", "Ctrl-Shift-Tab"),
        ("Ctrl--", "Ctrl--"),
        ("Ctrl-Space", "Ctrl-Space"),
        ("Ctrl-F5", "Ctrl-F5"),
        ("中", "中"),
    ];
    for (written, canonical) in cases {
        let key = parse_key(written).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(format_key(&key), canonical, "format of {written:?}");
        assert_eq!(
            parse_key(canonical).unwrap(),
            key,
            "reparse of {canonical:?}"
        );
        assert_eq!(key.to_string().parse::<KeyCombo>().unwrap(), key);
    }
    for n in 1..=12u8 {
        let key = KeyCombo::new(KeyCode::F(n), NONE);
        assert_eq!(parse_key(&format_key(&key)).unwrap(), key);
    }
}

#[test]
fn parse_key_values() {
    let k = |s| parse_key(s).unwrap();
    assert_eq!(k("j"), KeyCombo::new(KeyCode::Char('j'), NONE));
    assert_eq!(
        k("J"),
        KeyCombo {
            code: KeyCode::Char('J'),
            mods: NONE
        }
    );
    assert_eq!(
        k("Ctrl-C"),
        KeyCombo {
            code: KeyCode::Char('c'),
            mods: CTRL
        }
    );
    assert_eq!(k("Shift-Tab").code, KeyCode::BackTab);
    assert_eq!(k("Space").code, KeyCode::Char(' '));
    assert_eq!(k("F7").code, KeyCode::F(7));
    assert_eq!(k("Shift-Up").mods, SHIFT);
    assert_ne!(k("Ctrl-c"), k("c"));
    assert_ne!(k("j"), k("J"));
    assert_ne!(k("Alt-x"), k("x"));
}

#[test]
fn parse_key_rejects_bad_keys() {
    for bad in [
        "",
        "jj",
        "Ctlr-x",
        "Ctrl-",
        "Shift-",
        "F0",
        "F13",
        "F01",
        "Fx",
        "Hyper-x",
        "Ctrl-Ctrl-x",
        "Shift-1",
        "Shift-/",
        "\t",
        "Page Up",
    ] {
        assert!(parse_key(bad).is_err(), "{bad:?} should not parse");
    }
    assert!(parse_key("Ctlr-x").unwrap_err().contains("Ctlr-x"));
}

// ---- matching key events -------------------------------------------------

#[test]
fn ctrl_c_and_c_are_distinct() {
    let map = default_map();
    assert_eq!(map.action(Context::Queue, &ch('c')), Some(Action::Claim));
    assert_eq!(
        map.action(Context::Queue, &ev(KeyCode::Char('c'), CTRL)),
        Some(Action::Quit)
    );
}

#[test]
fn uppercase_matches_with_and_without_shift() {
    for (name, map) in builtins() {
        for mods in [NONE, SHIFT] {
            assert_eq!(
                map.action(Context::Queue, &ev(KeyCode::Char('G'), mods)),
                Some(Action::Bottom),
                "{name}: G with {mods:?}"
            );
            assert_eq!(
                map.action(Context::Queue, &ev(KeyCode::Char('L'), mods)),
                Some(Action::ToggleLanguage),
                "{name}: L with {mods:?}"
            );
        }
        // Some terminals (kitty protocol) send the base key plus SHIFT.
        assert_eq!(
            map.action(Context::Queue, &ev(KeyCode::Char('g'), SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(map.action(Context::Queue, &ch('g')), Some(Action::Top));
        // "?" arrives with or without SHIFT.
        assert_eq!(
            map.action(Context::Queue, &ev(KeyCode::Char('?'), SHIFT)),
            Some(Action::Help)
        );
    }
    let j = KeyCombo::new(KeyCode::Char('J'), NONE);
    assert_eq!(KeyCombo::new(KeyCode::Char('J'), SHIFT), j);
    assert_eq!(KeyCombo::new(KeyCode::Char('j'), SHIFT), j);
}

#[test]
fn ctrl_letter_matches_either_case_and_backtab_with_shift() {
    let map = default_map();
    for c in ['c', 'C'] {
        for mods in [CTRL, CTRL | SHIFT] {
            assert_eq!(
                map.action(Context::Queue, &ev(KeyCode::Char(c), mods)),
                Some(Action::Quit),
                "{c} {mods:?}"
            );
        }
    }
    assert_eq!(
        map.action(Context::Call, &ev(KeyCode::Char('S'), CTRL)),
        Some(Action::Save)
    );
    // crossterm reports Shift-Tab as BackTab + SHIFT; kitty may send Tab + SHIFT.
    for e in [
        ev(KeyCode::BackTab, SHIFT),
        ev(KeyCode::BackTab, NONE),
        ev(KeyCode::Tab, SHIFT),
    ] {
        assert_eq!(map.action(Context::Queue, &e), Some(Action::PrevPane));
    }
    // Super/Hyper/Meta are ignored; Shift on a named key is not.
    assert_eq!(
        map.action(Context::Queue, &ev(KeyCode::Down, KeyModifiers::SUPER)),
        Some(Action::Down)
    );
    assert_eq!(map.action(Context::Queue, &ev(KeyCode::Down, SHIFT)), None);
}

#[test]
fn key_release_is_ignored_but_repeat_is_not() {
    let map = default_map();
    let mut e = ch('j');
    e.kind = KeyEventKind::Release;
    assert_eq!(map.action(Context::Queue, &e), None);
    e.kind = KeyEventKind::Repeat;
    assert_eq!(map.action(Context::Queue, &e), Some(Action::Down));
}

#[test]
fn action_falls_back_to_global() {
    let map = default_map();
    assert_eq!(
        map.action(Context::Detail, &ch('/')),
        Some(Action::OpenSearch)
    );
    assert_eq!(map.action(Context::Queue, &ch('q')), Some(Action::Quit));
    assert_eq!(
        map.action(Context::Customer, &ch('w')),
        Some(Action::OpenWallboard)
    );
    // The context's own binding wins over Global's.
    assert_eq!(map.action(Context::Help, &ch('q')), Some(Action::Back));
    assert_eq!(map.action(Context::Wallboard, &ch('w')), Some(Action::Back));
    // Keys bound nowhere.
    assert_eq!(map.action(Context::Queue, &ch('z')), None);
    assert_eq!(map.action(Context::Global, &ch('j')), None);
}

#[test]
fn typing_in_search_and_form_never_reaches_global() {
    for (name, map) in builtins() {
        for ctx in [Context::Search, Context::Form] {
            for c in ['q', '?', '/', 'w', 'L', 'j', ' ', '1', 'Q'] {
                assert_eq!(map.action(ctx, &ch(c)), None, "{name} {ctx}: {c:?}");
            }
            assert_eq!(
                map.action(ctx, &ev(KeyCode::Esc, NONE)),
                Some(Action::Back),
                "{name} {ctx}"
            );
            // Keys with Ctrl and named keys still fall back.
            assert_eq!(
                map.action(ctx, &ev(KeyCode::Char('c'), CTRL)),
                Some(Action::Quit)
            );
            assert_eq!(
                map.action(ctx, &ev(KeyCode::F(1), NONE)),
                Some(Action::Help)
            );
        }
        assert_eq!(
            map.action(Context::Search, &ev(KeyCode::Enter, NONE)),
            Some(Action::Open)
        );
        assert_eq!(
            map.action(Context::Form, &ev(KeyCode::Enter, NONE)),
            Some(Action::Confirm)
        );
    }
}
