//! R18 end to end: a note typed into the real binary survives `kill -9` and
//! SIGHUP (a dropped SSH link); the same agent reopening the same complaint
//! gets it back with a visible "draft restored" mark. A confirmed outcome
//! clears it.
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

const START: Duration = Duration::from_secs(15);

fn setup() -> (TempDb, String) {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let out = db.run(
        &["intake"],
        &complaint_json("Broadband down", "13800138000"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (db, stdout(&out).trim().to_string())
}

/// Opens the TUI, starts the call on the only complaint, and waits for the
/// call screen.
fn open_call(db: &TempDb, number: &str) -> Pty {
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| {
        s.contains(number) && s.contains("Hotline · Queue")
    });
    pty.send_keys(b"p");
    // Not mine yet (the first time): claiming it is asked first.
    let (s, _) = pty.wait_for("the question or the call", START, |s| {
        s.contains("Claim it and call?") || s.contains(&format!("Call {number}"))
    });
    if s.contains("Claim it and call?") {
        pty.send_keys(b"y");
    }
    let (screen, _) = pty.wait_for("the call screen", START, |s| {
        s.contains(&format!("Call {number}"))
    });
    // R15: the handling steps are the outline of every call; R16: the
    // greeting carries the agent's id.
    assert!(
        screen.contains("1.Listen and record → 2.Calm and apologize"),
        "{screen}"
    );
    assert!(screen.contains("agent number lina"), "{screen}");
    pty
}

fn draft_in_db(db: &TempDb) -> Option<String> {
    db.conn()
        .query_row("SELECT body FROM drafts", [], |r| r.get(0))
        .ok()
}

#[test]
fn r18_draft_survives_kill_9_and_is_marked_restored() {
    let (db, number) = setup();
    let mut pty = open_call(&db, &number);
    pty.send_keys(b"e");
    pty.send_keys("客户说断网三天 line down".as_bytes());
    pty.wait_for("the typed note", START, |s| {
        s.contains("客户说断网三天 line down")
    });
    // Saved within about a second of the last keystroke.
    // Due 0.6 s after the last key; 2 s leaves room for a loaded CI machine
    // while still failing a save that waits for anything else.
    let deadline = std::time::Instant::now() + Duration::from_millis(2000);
    while draft_in_db(&db).as_deref() != Some("客户说断网三天 line down") {
        assert!(
            std::time::Instant::now() < deadline,
            "no draft 2 s after the last key: {:?}",
            draft_in_db(&db)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    pty::signal(pty.pid(), "KILL");
    pty.wait_exit(Duration::from_secs(5));

    let pty = open_call(&db, &number);
    let (screen, _) = pty.wait_for("the restored note", START, |s| {
        s.contains("draft restored") && s.contains("客户说断网三天 line down")
    });
    assert!(screen.contains(&format!("Call {number}")), "{screen}");
}

#[test]
fn r18_draft_survives_sighup_even_right_after_typing() {
    let (db, number) = setup();
    let mut pty = open_call(&db, &number);
    pty.send_keys(b"e");
    pty.send_keys(b"link dropped mid-sentence");
    pty.wait_for("the typed note", START, |s| {
        s.contains("link dropped mid-sentence")
    });
    // No pause: the hang-up itself must write the draft.
    pty::signal(pty.pid(), "HUP");
    pty.wait_exit(Duration::from_secs(5));
    assert_eq!(
        draft_in_db(&db).as_deref(),
        Some("link dropped mid-sentence")
    );

    let mut pty = open_call(&db, &number);
    pty.wait_for("the restored note", START, |s| {
        s.contains("draft restored") && s.contains("link dropped mid-sentence")
    });
    // Confirming an outcome clears the draft (escalate needs no extra choice).
    pty.send_keys(b"o");
    pty.wait_for("the outcome picker", START, |s| {
        s.contains("Pick the outcome")
    });
    pty.send_keys(b"3");
    pty.wait_for("the confirmation", START, |s| s.contains("Confirm"));
    pty.send_keys(b"\r");
    pty.wait_for("the queue again", START, |s| s.contains("Outcome recorded"));
    assert_eq!(draft_in_db(&db), None);
    assert_eq!(db.count("SELECT count(*) FROM contacts WHERE outcome = 'escalated' AND notes = 'link dropped mid-sentence'"), 1);
}
