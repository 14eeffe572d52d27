//! A user's keymap over a built-in one, and errors that name their line.
use super::*;

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
