use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn ch(c: char) -> KeyEvent {
    ev(KeyCode::Char(c), NONE)
}

fn builtins() -> Vec<(&'static str, Keymap)> {
    BUILTIN_NAMES
        .iter()
        .map(|n| (*n, Keymap::builtin(n).unwrap()))
        .collect()
}

fn default_map() -> Keymap {
    Keymap::builtin("default").unwrap()
}

/// Unwraps the error of a keymap that must not load; returns (line, message).
fn fails(text: &str) -> (usize, String) {
    match Keymap::from_toml(text, "keymap.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => (e.line().unwrap(), e.to_string()),
    }
}

fn temp_file(contents: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hotline-keymap-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keymap.toml");
    std::fs::write(&path, contents).unwrap();
    path
}

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

// ---- the shipped files ---------------------------------------------------

#[test]
fn builtin_files_parse_with_descriptions_that_fit_80_columns() {
    fn columns(s: &str) -> usize {
        s.chars().map(|c| if c >= '\u{1100}' { 2 } else { 1 }).sum()
    }
    for (name, map) in builtins() {
        assert_eq!(map.source(), &Source::Builtin(name));
        for ctx in Context::ALL {
            assert!(!map.bindings(*ctx).is_empty(), "{name}: [{ctx}] is empty");
            for b in map.bindings(*ctx) {
                assert!(!b.en.trim().is_empty(), "{name} [{ctx}] {}: en", b.key);
                assert!(!b.zh.trim().is_empty(), "{name} [{ctx}] {}: zh", b.key);
                assert!(
                    b.zh.chars().any(|c| c >= '\u{4e00}'),
                    "{name} [{ctx}] {}: zh has no Chinese",
                    b.key
                );
                // Key column + description must fit half of an 80-column screen.
                assert!(
                    columns(&b.en) <= 30,
                    "{name} [{ctx}] {}: en too long",
                    b.key
                );
                assert!(
                    columns(&b.zh) <= 30,
                    "{name} [{ctx}] {}: zh too long",
                    b.key
                );
            }
        }
    }
}

#[test]
fn unknown_builtin_lists_both() {
    let e = Keymap::builtin("emacs").unwrap_err().to_string();
    assert!(
        e.contains("\"emacs\"") && e.contains("default") && e.contains("vim"),
        "{e}"
    );
}

#[test]
fn every_context_can_go_back_or_quit() {
    for (name, map) in builtins() {
        for ctx in Context::ALL {
            let back = map.hint(*ctx, Action::Back).is_some();
            let quit = map.hint(*ctx, Action::Quit).is_some();
            assert!(back || quit, "{name}: no way out of [{ctx}]");
            // Esc is Back everywhere (Global, or the context's own).
            if *ctx != Context::Global {
                assert_eq!(
                    map.action(*ctx, &ev(KeyCode::Esc, NONE)),
                    Some(Action::Back),
                    "{name} [{ctx}]"
                );
            }
        }
    }
}

#[test]
fn search_and_form_bind_no_typing_or_editing_keys() {
    let editing = [
        "Left",
        "Right",
        "Home",
        "End",
        "Backspace",
        "Delete",
        "Space",
        "Ctrl-a",
        "Ctrl-e",
        "Ctrl-u",
        "Ctrl-k",
        "Ctrl-w",
        "Ctrl-h",
    ]
    .map(|k| parse_key(k).unwrap());
    for (name, map) in builtins() {
        for ctx in [Context::Search, Context::Form] {
            for b in map.bindings(ctx) {
                assert!(
                    !b.key.is_plain_char(),
                    "{name} [{ctx}] binds typed character {}",
                    b.key
                );
                assert!(
                    !editing.contains(&b.key),
                    "{name} [{ctx}] binds editing key {}",
                    b.key
                );
            }
        }
    }
}

/// What each screen must offer; both files are checked against it, and
/// against each other.
// A table: every context's actions, one per line.
#[allow(clippy::too_many_lines)]
fn expected(ctx: Context) -> &'static [Action] {
    use Action::*;
    match ctx {
        Context::Global => &[Quit, Help, Back, OpenSearch, OpenWallboard, ToggleLanguage],
        Context::Queue => &[
            Quit,
            Help,
            Back,
            Up,
            Down,
            PageUp,
            PageDown,
            Top,
            Bottom,
            NextPane,
            PrevPane,
            OpenSearch,
            OpenWallboard,
            ToggleLanguage,
            FilterMine,
            FilterUnassigned,
            FilterAll,
            FilterBreached,
            Open,
            Claim,
            StartWork,
            RaiseSeverity,
            LowerSeverity,
            Reassign,
            Acknowledge,
            NewComplaint,
            StartCall,
            OpenCustomer,
            FilterMajors,
            GoTo,
            Release,
        ],
        Context::Detail => &[
            Quit,
            Help,
            Back,
            ScrollUp,
            ScrollDown,
            PageUp,
            PageDown,
            Top,
            Bottom,
            NextPane,
            PrevPane,
            OpenSearch,
            Claim,
            StartWork,
            RaiseSeverity,
            LowerSeverity,
            Reassign,
            Acknowledge,
            StartCall,
            OpenCustomer,
            Release,
        ],
        Context::Search => &[
            Quit, Help, Back, Up, Down, PageUp, PageDown, Open, NextPane, PrevPane,
        ],
        Context::Customer => &[
            Quit,
            Help,
            Back,
            Up,
            Down,
            PageUp,
            PageDown,
            Top,
            Bottom,
            NextPane,
            PrevPane,
            Open,
            NewComplaint,
            StartCall,
        ],
        Context::Call => &[
            Quit,
            Help,
            Back,
            NextScript,
            PrevScript,
            ScrollUp,
            ScrollDown,
            PageUp,
            PageDown,
            PickOutcome,
            EditNote,
            Save,
        ],
        Context::Form => &[
            Quit, Help, Back, Confirm, Save, Up, Down, PageUp, PageDown, NextPane, PrevPane,
        ],
        Context::Help => &[
            Quit, Back, ScrollUp, ScrollDown, PageUp, PageDown, Top, Bottom,
        ],
        Context::Wallboard => &[
            Quit,
            Help,
            Back,
            ScrollUp,
            ScrollDown,
            PageUp,
            PageDown,
            NextPane,
            PrevPane,
            Open,
            Acknowledge,
            OpenReport,
        ],
        Context::Report => &[
            Quit, Help, Back, ScrollUp, ScrollDown, PageUp, PageDown, Top, NextPane, PrevPane,
        ],
    }
}

fn reachable(map: &Keymap, ctx: Context) -> BTreeSet<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| map.hint(ctx, *a).is_some())
        .collect()
}

#[test]
fn both_files_are_complete_and_agree() {
    let maps = builtins();
    for (name, map) in &maps {
        for ctx in Context::ALL {
            for a in expected(*ctx) {
                assert!(
                    map.hint(*ctx, *a).is_some(),
                    "{name}: {a} unreachable in [{ctx}]"
                );
            }
        }
        let used: BTreeSet<Action> = Context::ALL
            .iter()
            .flat_map(|c| map.bindings(*c))
            .map(|b| b.action)
            .collect();
        let all: BTreeSet<Action> = Action::ALL.iter().copied().collect();
        assert_eq!(used, all, "{name}: some action is bound nowhere");
    }
    let (default, vim) = (&maps[0].1, &maps[1].1);
    for ctx in Context::ALL {
        // vim adds h = back, which default has via Esc anyway.
        assert_eq!(
            reachable(default, *ctx),
            reachable(vim, *ctx),
            "[{ctx}] differs"
        );
    }
}

#[test]
fn vim_flavour() {
    let vim = Keymap::builtin("vim").unwrap();
    let a = |ctx, s: &str| vim.action_for(ctx, parse_key(s).unwrap());
    assert_eq!(a(Context::Queue, "l"), Some(Action::Open));
    assert_eq!(a(Context::Detail, "h"), Some(Action::Back));
    assert_eq!(a(Context::Queue, "Ctrl-d"), Some(Action::PageDown));
    assert_eq!(a(Context::Queue, "Ctrl-u"), Some(Action::PageUp));
    assert_eq!(a(Context::Queue, "Down"), Some(Action::Down));
    assert_eq!(a(Context::Call, "]"), Some(Action::NextScript));
}

#[test]
fn bindings_keep_file_order_and_hints_format_keys() {
    let map = default_map();
    let queue: Vec<String> = map
        .bindings(Context::Queue)
        .iter()
        .take(5)
        .map(|b| format_key(&b.key))
        .collect();
    assert_eq!(queue, ["Up", "k", "Down", "j", "PageUp"]);
    let global: Vec<Action> = map
        .bindings(Context::Global)
        .iter()
        .map(|b| b.action)
        .collect();
    assert_eq!(global[..3], [Action::Quit, Action::Quit, Action::Help]);
    let claim = map
        .bindings(Context::Queue)
        .into_iter()
        .find(|b| b.action == Action::Claim)
        .unwrap();
    assert_eq!(claim.en, "Claim the selected item");
    assert_eq!(claim.zh, "认领所选项");

    assert_eq!(
        map.hint(Context::Queue, Action::Claim).as_deref(),
        Some("c")
    );
    assert_eq!(map.hint(Context::Queue, Action::Quit).as_deref(), Some("q"));
    assert_eq!(
        map.hint(Context::Call, Action::Save).as_deref(),
        Some("Ctrl-s")
    );
    assert_eq!(
        map.hint(Context::Queue, Action::PrevPane).as_deref(),
        Some("Shift-Tab")
    );
    // q does not quit in Search (typing) nor in Call (unbound there).
    assert_eq!(
        map.hint(Context::Search, Action::Quit).as_deref(),
        Some("Ctrl-c")
    );
    assert_eq!(
        map.hint(Context::Call, Action::Quit).as_deref(),
        Some("Ctrl-c")
    );
    assert_eq!(
        map.hint(Context::Search, Action::Help).as_deref(),
        Some("F1")
    );
    // Help's q is Back, so q is no hint for Quit there.
    assert_eq!(
        map.hint(Context::Help, Action::Quit).as_deref(),
        Some("Ctrl-c")
    );
    assert_eq!(map.hint(Context::Queue, Action::NextScript), None);
    assert_eq!(
        map.keys_for(Context::Queue, Action::Down),
        [parse_key("Down").unwrap(), parse_key("j").unwrap()]
    );
}

#[test]
fn q_does_not_quit_during_a_call() {
    let map = default_map();
    assert_eq!(map.action(Context::Call, &ch('q')), None);
    assert_eq!(map.action(Context::Queue, &ch('q')), Some(Action::Quit));
}

// ---- overrides -----------------------------------------------------------

#[test]
fn override_replaces_one_key_and_keeps_the_rest() {
    let base = default_map();
    let mut map = base.clone();
    map.merge_toml(
        r#"
[queue]
"c" = { action = "reassign", en = "Hand over", zh = "转交" }
"#,
        "keymap.toml",
    )
    .unwrap();
    assert_eq!(map.action(Context::Queue, &ch('c')), Some(Action::Reassign));
    assert_eq!(map.action(Context::Queue, &ch('r')), Some(Action::Reassign));
    assert_eq!(
        map.action(Context::Queue, &ch('s')),
        Some(Action::StartWork)
    );
    assert_eq!(map.action(Context::Detail, &ch('c')), Some(Action::Claim));
    // Same place in the overlay, new description; nothing else moved.
    let (old, new) = (base.bindings(Context::Queue), map.bindings(Context::Queue));
    assert_eq!(old.len(), new.len());
    for (o, n) in old.iter().zip(&new) {
        assert_eq!(o.key, n.key);
        if o.key != parse_key("c").unwrap() {
            assert_eq!(o, n);
        } else {
            assert_eq!((n.en.as_str(), n.zh.as_str()), ("Hand over", "转交"));
        }
    }
    for ctx in Context::ALL.iter().filter(|c| **c != Context::Queue) {
        assert_eq!(base.bindings(*ctx), map.bindings(*ctx));
    }
}

#[test]
fn override_adds_keys_and_may_omit_descriptions() {
    let mut map = default_map();
    map.merge_toml(
        "[queue]\n\"x\" = \"claim\"\n\"F5\" = { action = \"filter_all\", en = \"Refresh\" }\n",
        "keymap.toml",
    )
    .unwrap();
    let q = map.bindings(Context::Queue);
    let x = q[q.len() - 2];
    assert_eq!(
        (x.action, x.en.as_str(), x.zh.as_str()),
        (Action::Claim, "Claim the selected item", "认领所选项")
    );
    let f5 = q[q.len() - 1];
    assert_eq!((f5.en.as_str(), f5.zh.as_str()), ("Refresh", "显示全部"));
    // c still claims too.
    assert_eq!(map.action(Context::Queue, &ch('c')), Some(Action::Claim));
}

#[test]
fn none_unbinds() {
    let mut map = default_map();
    map.merge_toml(
        r#"
[queue]
"c" = "none"
"s" = { action = "none" }
"q" = "none"
[global]
"w" = "none"
"#,
        "keymap.toml",
    )
    .unwrap();
    assert_eq!(map.action(Context::Queue, &ch('c')), None);
    assert_eq!(map.action(Context::Queue, &ch('s')), None);
    assert!(
        map.bindings(Context::Queue)
            .iter()
            .all(|b| b.key != parse_key("c").unwrap())
    );
    // Unbinding a Global key in one context hides it there only.
    assert_eq!(map.action(Context::Queue, &ch('q')), None);
    assert_eq!(map.action(Context::Detail, &ch('q')), Some(Action::Quit));
    assert_eq!(map.action(Context::Detail, &ch('w')), None);
    assert_eq!(map.action(Context::Detail, &ch('c')), Some(Action::Claim));
    assert_eq!(map.hint(Context::Queue, Action::Claim), None);
    // Binding it again later works.
    map.merge_toml("[queue]\n\"q\" = \"quit\"\n", "again.toml")
        .unwrap();
    assert_eq!(map.action(Context::Queue, &ch('q')), Some(Action::Quit));
}

#[test]
fn broken_override_changes_nothing() {
    let mut map = default_map();
    let before = map
        .bindings(Context::Queue)
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    let e = map
        .merge_toml(
            "[queue]\n\"c\" = \"none\"\n\"x\" = \"clam\"\n",
            "keymap.toml",
        )
        .unwrap_err();
    assert_eq!(e.to_string(), "keymap.toml:3: unknown action \"clam\"");
    let after = map
        .bindings(Context::Queue)
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(before, after);
}

#[test]
fn override_without_a_known_description_fails() {
    // An action bound nowhere in the base cannot lend a description…
    let mut bare = Keymap::from_toml(
        "[global]\n\"q\" = { action = \"quit\", en = \"Q\", zh = \"退\" }\n",
        "base.toml",
    )
    .unwrap();
    let e = bare
        .merge_toml("\n[queue]\n\"c\" = \"claim\"\n", "keymap.toml")
        .unwrap_err();
    assert_eq!(e.line(), Some(3));
    assert!(
        e.to_string().contains("missing en and zh descriptions"),
        "{e}"
    );
    // …but one bound in another context can ([call] next_script).
    let mut map = default_map();
    map.merge_toml("[queue]\n\"]\" = \"next_script\"\n", "keymap.toml")
        .unwrap();
    let q = map.bindings(Context::Queue);
    assert_eq!(q[q.len() - 1].zh, "下一步话术");
    assert_eq!(
        map.action(Context::Queue, &ch(']')),
        Some(Action::NextScript)
    );
}

#[test]
fn load_base_and_user_override() {
    // Defaults.
    let map = Keymap::load(None, None).unwrap();
    assert_eq!(map.source(), &Source::Builtin("default"));
    assert_eq!(map.action(Context::Queue, &ch('l')), None);
    let vim = Keymap::load(Some("vim"), None).unwrap();
    assert_eq!(vim.action(Context::Queue, &ch('l')), Some(Action::Open));

    // Missing override: ignored.
    let missing = std::env::temp_dir().join("hotline-keymap-test-does-not-exist/keymap.toml");
    let map = Keymap::load(Some("default"), Some(&missing)).unwrap();
    assert_eq!(map.user_override(), None);

    // Override on top of vim.
    let path = temp_file("[queue]\n\"l\" = \"none\"\n\"x\" = \"open\"\n");
    let map = Keymap::load(Some("vim"), Some(&path)).unwrap();
    assert_eq!(map.user_override(), Some(path.as_path()));
    assert_eq!(map.action(Context::Queue, &ch('l')), None);
    assert_eq!(map.action(Context::Queue, &ch('x')), Some(Action::Open));
    assert_eq!(map.action(Context::Queue, &ch('j')), Some(Action::Down));

    // Broken override: error names the file and the line.
    let broken = temp_file("# mine\n[queue]\n\n\"c\" = \"clam\"\n");
    let e = Keymap::load(None, Some(&broken)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{}:4: unknown action \"clam\"", broken.display())
    );

    // A whole keymap from a file.
    let base = temp_file(DEFAULT_TOML);
    let map = Keymap::load(base.to_str(), None).unwrap();
    assert_eq!(map.source(), &Source::File(base.clone()));
    assert_eq!(
        map.bindings(Context::Queue),
        default_map().bindings(Context::Queue)
    );

    // Unknown names and missing files.
    let e = Keymap::load(Some("emacs"), None).unwrap_err().to_string();
    assert!(e.contains("emacs") && e.contains("default, vim"), "{e}");
    let e = Keymap::load(Some("/nonexistent/hotline.toml"), None).unwrap_err();
    assert!(matches!(e, KeymapError::Read { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/hotline.toml: cannot read keymap"),
        "{e}"
    );

    for p in [path, broken, base] {
        if let Some(dir) = p.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

// ---- errors with line numbers --------------------------------------------

const GOOD: &str = r#"# line 1
[queue]
"j" = { action = "down", en = "Next item", zh = "下一项" }
"#;

#[test]
fn error_unknown_action_has_its_line() {
    let text = format!(
        "{GOOD}\n# 5\n[detail]\n\"c\" = {{ action = \"clam\", en = \"Claim\", zh = \"认领\" }}\n"
    );
    let (line, msg) = fails(&text);
    assert_eq!(line, 7);
    assert_eq!(msg, "keymap.toml:7: unknown action \"clam\"");
    // Shorthand form too.
    let (line, msg) = fails("[queue]\n\n\"c\" = \"clam\"\n");
    assert_eq!(
        (line, msg.as_str()),
        (3, "keymap.toml:3: unknown action \"clam\"")
    );
}

#[test]
fn error_bad_key_has_its_line() {
    let text = format!("{GOOD}\"Ctlr-x\" = {{ action = \"up\", en = \"Up\", zh = \"上\" }}\n");
    let (line, msg) = fails(&text);
    assert_eq!(line, 4);
    assert!(
        msg.starts_with("keymap.toml:4: unknown key \"Ctlr-x\""),
        "{msg}"
    );
    let (line, _) = fails("[queue]\n\"F13\" = \"up\"\n");
    assert_eq!(line, 2);
}

#[test]
fn error_unknown_context_has_its_line() {
    let text = format!("{GOOD}\n[queu]\n\"k\" = {{ action = \"up\", en = \"Up\", zh = \"上\" }}\n");
    let (line, msg) = fails(&text);
    assert_eq!(line, 5);
    assert!(
        msg.starts_with("keymap.toml:5: unknown context \"queu\""),
        "{msg}"
    );
    assert!(msg.contains("queue"), "{msg}");
}

#[test]
fn error_missing_description_has_its_line() {
    let text = format!("{GOOD}\"k\" = {{ action = \"up\", en = \"Previous item\" }}\n");
    let (line, msg) = fails(&text);
    assert_eq!(line, 4);
    assert_eq!(
        msg,
        "keymap.toml:4: missing zh description for \"k\" in [queue]"
    );
    let (line, msg) = fails("[queue]\n\"k\" = { action = \"up\", zh = \"上一项\" }\n");
    assert_eq!(line, 2);
    assert!(msg.contains("missing en description"), "{msg}");
    let (line, msg) = fails("[queue]\n\n\"k\" = \"up\"\n");
    assert_eq!(line, 3);
    assert!(msg.contains("missing en and zh descriptions"), "{msg}");
    let (line, msg) = fails("[queue]\n\"k\" = { action = \"up\", en = \"Up\", zh = \"  \" }\n");
    assert_eq!(line, 2);
    assert!(msg.contains("empty zh description"), "{msg}");
    // A description in the same file does not stand in for a missing one.
    let (line, _) = fails(&format!(
        "{GOOD}\"Down\" = {{ action = \"down\", en = \"Next item\" }}\n"
    ));
    assert_eq!(line, 4);
}

#[test]
fn error_toml_syntax_has_its_line() {
    let text = format!("{GOOD}\n\"k\" = {{ action = \"up\", en = \"Up, zh = \"上\" }}\n");
    let (line, msg) = fails(&text);
    assert_eq!(line, 5, "{msg}");
    assert!(msg.starts_with("keymap.toml:5: TOML syntax error"), "{msg}");
    let (line, _) = fails("[queue]\n\n\n\"k\" = \n");
    assert_eq!(line, 4);
    let (line, _) = fails("[queue\n");
    assert_eq!(line, 1);
}

#[test]
fn error_duplicate_key_has_its_line() {
    // The same key written two ways.
    let text = format!(
        "{GOOD}\"Down\" = {{ action = \"down\", en = \"Next\", zh = \"下\" }}\n\"J\" = {{ action = \"down\", en = \"Next\", zh = \"下\" }}\n\"Shift-j\" = {{ action = \"bottom\", en = \"Last\", zh = \"末\" }}\n"
    );
    let (line, msg) = fails(&text);
    assert_eq!(line, 6);
    assert_eq!(
        msg,
        "keymap.toml:6: duplicate key \"Shift-j\" in [queue] (same key as \"J\" on line 5)"
    );
    let (line, _) = fails("[global]\n\"Ctrl-c\" = \"quit\"\n\"ctrl-C\" = \"quit\"\n");
    assert_eq!(line, 3);
    // Literally the same TOML key: TOML itself rejects it.
    let text = format!("{GOOD}\"j\" = {{ action = \"up\", en = \"Up\", zh = \"上\" }}\n");
    let (line, msg) = fails(&text);
    assert_eq!(line, 4, "{msg}");
    assert!(msg.ends_with("duplicate key: \"j\""), "{msg}");
    let (line, _) = fails(&format!("{GOOD}\n[queue]\n"));
    assert_eq!(line, 5);
    // Same key in two contexts is fine.
    Keymap::from_toml(
        &format!(
            "{GOOD}[detail]\n\"j\" = {{ action = \"scroll_down\", en = \"Down\", zh = \"下\" }}\n"
        ),
        "ok.toml",
    )
    .unwrap();
}

#[test]
fn error_other_shapes_have_their_line() {
    let (line, msg) = fails("[queue]\n\"j\" = 3\n");
    assert_eq!(line, 2);
    assert!(msg.contains("expected an action name"), "{msg}");
    let (line, msg) =
        fails("[queue]\n\"j\" = { action = \"down\", en = \"a\", zh = \"b\", desc = \"c\" }\n");
    assert_eq!(line, 2);
    assert!(msg.contains("unknown field \"desc\""), "{msg}");
    let (line, msg) = fails("\n[queue]\n\"j\" = { en = \"a\", zh = \"b\" }\n");
    assert_eq!(line, 3);
    assert!(msg.contains("missing action"), "{msg}");
    let (line, msg) = fails("queue = 1\n");
    assert_eq!(line, 1);
    assert!(msg.contains("must be a table"), "{msg}");
}

#[test]
fn grouped_bindings_for_a_compact_overlay() {
    let map = default_map();
    let groups = map.grouped_bindings(Context::Queue);
    let first: Vec<(String, &str)> = groups
        .iter()
        .take(3)
        .map(|(keys, b)| {
            let keys: Vec<String> = keys.iter().map(format_key).collect();
            (keys.join(" "), b.en.as_str())
        })
        .collect();
    assert_eq!(
        first,
        [
            ("Up k".to_owned(), "Previous item"),
            ("Down j".to_owned(), "Next item"),
            ("PageUp".to_owned(), "Page up"),
        ]
    );
    // Fits a 24-line screen with room for a title and the Global section.
    for (name, map) in builtins() {
        for ctx in Context::ALL {
            let rows = map.grouped_bindings(*ctx).len();
            // The overlay scrolls; this keeps a context readable at all.
            assert!(rows <= 30, "{name} [{ctx}]: {rows} help rows");
        }
    }
}

/// The keys the brief asks for, checked key by key.
#[test]
fn default_keys_are_the_agreed_ones() {
    use Action::*;
    use Context::{Call, Customer, Detail, Form, Global, Queue, Search, Wallboard};
    const HELP_CTX: Context = Context::Help;
    let shared: &[(Context, &str, Action)] = &[
        (Global, "q", Quit),
        (Global, "Ctrl-c", Quit),
        (Global, "?", Help),
        (Global, "/", OpenSearch),
        (Global, "w", OpenWallboard),
        (Global, "L", ToggleLanguage),
        (Global, "Esc", Back),
        (Queue, "Up", Up),
        (Queue, "k", Up),
        (Queue, "Down", Down),
        (Queue, "j", Down),
        (Queue, "PageUp", PageUp),
        (Queue, "PageDown", PageDown),
        (Queue, "g", Top),
        (Queue, "Home", Top),
        (Queue, "G", Bottom),
        (Queue, "End", Bottom),
        (Queue, "Tab", NextPane),
        (Queue, "BackTab", PrevPane),
        (Queue, "Enter", Open),
        (Queue, "1", FilterMine),
        (Queue, "2", FilterUnassigned),
        (Queue, "3", FilterAll),
        (Queue, "4", FilterBreached),
        (Queue, "c", Claim),
        (Queue, "s", StartWork),
        (Queue, "+", RaiseSeverity),
        (Queue, "-", LowerSeverity),
        (Queue, "r", Reassign),
        (Queue, "a", Acknowledge),
        (Queue, "n", NewComplaint),
        (Queue, "p", StartCall),
        (Queue, "o", OpenCustomer),
        (Detail, "c", Claim),
        (Detail, "p", StartCall),
        (Detail, "o", OpenCustomer),
        (Customer, "Enter", Open),
        (Customer, "n", NewComplaint),
        (Customer, "p", StartCall),
        (Call, "Tab", NextScript),
        (Call, "BackTab", PrevScript),
        (Call, "o", PickOutcome),
        (Call, "e", EditNote),
        (Call, "Ctrl-s", Save),
        (Call, "Esc", Back),
        (Search, "Enter", Open),
        (Search, "Esc", Back),
        (Search, "Up", Up),
        (Search, "Down", Down),
        (Form, "Enter", Confirm),
        (Form, "Esc", Back),
        (Form, "Ctrl-s", Save),
        (Form, "Tab", NextPane),
        (HELP_CTX, "Esc", Back),
        (HELP_CTX, "q", Back),
        (Wallboard, "Esc", Back),
        (Wallboard, "Enter", Open),
        (Wallboard, "a", Acknowledge),
        (Wallboard, "m", OpenReport),
    ];
    let vim_only: &[(Context, &str, Action)] = &[
        (Queue, "l", Open),
        (Queue, "Ctrl-d", PageDown),
        (Queue, "Ctrl-u", PageUp),
        (Detail, "h", Back),
        (Detail, "j", ScrollDown),
        (Detail, "Ctrl-d", PageDown),
        (Customer, "l", Open),
        (Customer, "h", Back),
        (HELP_CTX, "Ctrl-d", PageDown),
    ];
    for (name, map) in builtins() {
        let extra = if name == "vim" { vim_only } else { &[] };
        for (ctx, key, action) in shared.iter().chain(extra) {
            assert_eq!(
                map.action_for(*ctx, parse_key(key).unwrap()),
                Some(*action),
                "{name} [{ctx}] {key}"
            );
        }
    }
}

#[test]
fn unreadable_override_is_an_error_not_ignored() {
    // A directory where the file should be: exists, but cannot be read.
    let dir = temp_file("").parent().unwrap().to_path_buf();
    let e = Keymap::load(None, Some(&dir)).unwrap_err();
    assert!(matches!(e, KeymapError::Read { .. }), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
