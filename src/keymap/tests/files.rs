//! The shipped keymap files: complete, in agreement, with the agreed keys.
use super::*;

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
