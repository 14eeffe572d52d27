//! Issue 11's injection suite: every text column that reaches a screen or
//! a CLI output is filled with the corpus (ESC/CSI/OSC/DCS, C1 controls,
//! bidi overrides, zero-width and combining stacks, invalid UTF-8,
//! 10,000-character and very wide strings); every screen is rendered (on
//! TestBackend at 80x24 and 200x60, and the real binary in a pty) and every
//! CLI command that prints stored text is run. No escape sequence from the
//! data reaches the output, no row overflows, nothing panics.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty::{self, Pty};
use common::*;

use std::time::Duration;

use hotline::domain::model::Role;
use hotline::i18n::Lang;
use hotline::keymap::Keymap;
use hotline::store::{Db, OpenMode, queue};
use hotline::ui::app::{App, Event};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The corpus, as SQL-ready text (invalid UTF-8 is added by CAST below).
fn corpus() -> Vec<String> {
    vec![
        "\u{1b}[2J\u{1b}[H".into(),
        "\u{1b}]0;owned title\u{7}".into(),
        "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}".into(),
        "\u{1b}P+q544e\u{1b}\\".into(),
        "\u{9b}31m\u{9d}0;x\u{9c}".into(),
        "\u{202e}gnp.exe\u{202c}\u{2066}iso\u{2069}".into(),
        "zero\u{200b}\u{200d}\u{feff}width".into(),
        format!("e{}", "\u{301}".repeat(64)),
        "a\u{0}b\u{7}c\u{8}d\u{7f}".into(),
        "x".repeat(10_000),
        "宽".repeat(5_000),
        "Ｗｉｄｅ".repeat(500),
    ]
}

const BAD_UTF8: &str = "CAST(X'41429b324aff' AS TEXT)";

/// Every text column a screen or a command shows, filled with `s`.
fn fill(t: &TempDb, s: &str) {
    let c = t.conn();
    let one = |sql: &str| {
        c.execute(sql, [s]).unwrap_or_else(|e| panic!("{sql}: {e}"));
    };
    one(
        "UPDATE customers SET name = ?1, address = ?1, company = ?1, notes = ?1, tags = ?1, identifiers = ?1",
    );
    one(
        "UPDATE complaints SET subject = ?1, description = ?1, complainant_name = ?1, complainant_address = ?1",
    );
    one("UPDATE agents SET name = ?1 WHERE login <> 'sup1'");
    one("UPDATE categories SET name_zh = ?1, name_en = ?1");
    one("UPDATE scripts SET body = body || ?1");
    one("UPDATE complaint_events SET note = ?1");
    one("UPDATE contacts SET notes = ?1");
    one(
        "INSERT INTO audit (at, agent_login, action, entity, entity_id, purpose, detail) VALUES (0, ?1, 'view', 'customer', 1, ?1, ?1)",
    );
    one("UPDATE settings SET value = ?1 WHERE key IN ('center.name_zh', 'center.name_en')");
}

fn hostile_db() -> TempDb {
    let t = TempDb::new();
    t.add_agent("sup1", "班长", "supervisor");
    t.add_agent("ag1", "坐席", "agent");
    let input: String = (0..3)
        .map(|i| complaint_json(&format!("s{i}"), &format!("1380000000{i}")) + "\n")
        .collect();
    assert!(t.run(&["intake"], &input).status.success());
    t
}

/// Bytes of terminal control from data: C0 but line breaks, DEL, C1 (as
/// UTF-8), and bidi controls that reorder a line.
fn leaks(b: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(b);
    s.chars()
        .find(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
}

#[test]
fn no_cli_output_carries_an_escape_from_the_data() {
    let mut runs = 0;
    for s in corpus() {
        let t = hostile_db();
        fill(&t, &s);
        let commands: Vec<Vec<&str>> = vec![
            vec!["check"],
            vec!["settings", "list"],
            vec!["agent", "list"],
            vec!["scripts", "export"],
            vec!["--agent", "sup1", "search", "138"],
            vec!["--agent", "sup1", "search", "--json", "138"],
            vec!["--agent", "sup1", "audit", "--customer", "1"],
            vec!["--agent", "sup1", "audit", "--json", "--customer", "1"],
        ];
        for args in &commands {
            let out = t.run(args, "");
            runs += 1;
            assert_ne!(
                out.status.code(),
                Some(101),
                "{args:?} panicked: {}",
                stderr(&out)
            );
            if let Some(c) = leaks(&out.stdout).or_else(|| leaks(&out.stderr)) {
                panic!("{args:?} printed {c} from {:?}", &s[..s.len().min(40)]);
            }
        }
    }
    // Invalid UTF-8 in every column.
    let t = hostile_db();
    let c = t.conn();
    c.execute_batch(&format!(
        "UPDATE customers SET name = {BAD_UTF8}, address = {BAD_UTF8};
         UPDATE complaints SET subject = {BAD_UTF8};
         UPDATE agents SET name = {BAD_UTF8} WHERE login = 'ag1';"
    ))
    .unwrap();
    for args in [
        &["agent", "list"][..],
        &["--agent", "sup1", "search", "138"],
    ] {
        let out = t.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(leaks(&out.stdout).is_none(), "{args:?}");
    }
    println!(
        "CLI: {runs} command runs over {} payloads: 0 leaks",
        corpus().len()
    );
}

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

#[test]
fn every_screen_renders_the_corpus_within_its_cells() {
    let mut frames = 0;
    for s in corpus() {
        let t = hostile_db();
        fill(&t, &s);
        let mut db = Db::open(&t.path, OpenMode::Existing).unwrap();
        let me = db
            .read(|c| hotline::store::agents::by_login(c, "sup1"))
            .unwrap();
        assert_eq!(me.role, Role::Supervisor);
        let now = hotline::clock::now().timestamp();
        let items = db
            .read(|c| queue::load(c, me.id, me.role, now + 86_400, 80))
            .unwrap();
        assert_eq!(items.len(), 3);
        let detail = db
            .read(|c| queue::detail(c, items[0].complaint_id))
            .unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let mut app = App::new(
                me.clone(),
                lang,
                Keymap::builtin("default").unwrap(),
                now,
                false,
            );
            app.handle(Event::Queue(Ok(items.clone())), now);
            app.handle(Event::Detail(Ok(detail.clone())), now);
            app.handle(Event::Done(Err(s.clone())), now);
            for step in [
                None,
                Some(KeyCode::Enter),
                Some(KeyCode::Esc),
                Some(KeyCode::Char('?')),
            ] {
                if let Some(k) = step {
                    app.handle(key(k), now);
                }
                for (w, h) in [(80, 24), (200, 60)] {
                    // render_app asserts every row is exactly w cells wide
                    // and that no ESC reached a cell.
                    let (buf, _) = common::screen::render_app(&app, w, h);
                    frames += 1;
                    for cell in buf.content() {
                        assert!(
                            leaks(cell.symbol().as_bytes()).is_none(),
                            "{w}x{h}: {:?}",
                            cell.symbol()
                        );
                    }
                }
            }
        }
    }
    println!(
        "TUI: {frames} frames rendered over {} payloads: 0 leaks, 0 overflows",
        corpus().len()
    );
}

/// The real binary in a pty on the hostile database: the bytes written to
/// the terminal hold no OSC, DCS or C1 from the data, whatever screen.
#[test]
fn the_real_tui_writes_no_data_escape_to_the_terminal() {
    let t = hostile_db();
    let joined: String = corpus()
        .iter()
        .map(|s| s.chars().take(200).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    fill(&t, &joined);
    let mut p = Pty::hotline(&t.path, "sup1", &[], 80, 24);
    p.wait_for("the queue", Duration::from_secs(15), |s| {
        s.contains("C20") && !s.contains("Loading")
    });
    for keys in [&b"\r"[..], b"\x1b", b"/", b"zs", b"\x1b", b"?", b"\x1b"] {
        p.send_keys(keys);
        std::thread::sleep(Duration::from_millis(300));
    }
    p.resize(200, 60);
    std::thread::sleep(Duration::from_millis(500));
    let raw = p.raw();
    for bad in [
        &b"\x1b]"[..],
        b"\x1bP",
        b"\xc2\x9b",
        b"\xc2\x9d",
        b"\x07",
        b"\xe2\x80\xae",
    ] {
        assert!(
            pty::find(&raw, bad).is_none(),
            "{bad:?} reached the terminal"
        );
    }
    p.send_keys(b"q");
    p.wait_exit(Duration::from_secs(10));
}
