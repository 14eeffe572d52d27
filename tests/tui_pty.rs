//! The real binary in a pseudo-terminal, its output parsed by vt100:
//! live updates without a keypress (R8, R14), hostile text from the
//! database never reaching the terminal as control sequences (R30 /
//! DESIGN "Text from outside is untrusted"), the terminal restored after
//! quit, panic, SIGTERM and SIGHUP, a clear message for an unknown agent,
//! and resizing down to the "please enlarge" message.
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

use std::time::{Duration, Instant};

/// Generous: a debug binary on a loaded 2-core machine.
const START: Duration = Duration::from_secs(15);

fn db_with_agent() -> TempDb {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    db
}

fn loaded(s: &str) -> bool {
    s.contains("Hotline · Queue") && !s.contains("Loading")
}

/// The screen row holding complaint `number` (the queue row comes first).
fn row_of<'a>(screen: &'a str, number: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(number))
}

fn json(channel: &str, subject: &str, phone: &str, received_at: Option<&str>) -> String {
    let at = received_at
        .map(|t| format!(r#","received_at":"{t}""#))
        .unwrap_or_default();
    format!(
        r#"{{"channel":"{channel}","category":"service","subject":"{subject}"{at},"customer":{{"name":"Wang Fang","phone":"{phone}"}}}}"#
    )
}

#[test]
fn r8_new_complaint_appears_within_one_second_without_a_key() {
    let db = db_with_agent();
    let pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the empty queue", START, |s| {
        loaded(s) && s.contains("The queue is empty")
    });
    for i in 0..3 {
        let (number, committed) = intake_timed(
            &db.path,
            &json("phone", &format!("R8 {i}"), "13800001234", None),
        );
        let (_, seen) = pty.wait_for(&number, Duration::from_secs(1), |s| s.contains(&number));
        assert!(
            seen.duration_since(committed) < Duration::from_secs(1),
            "R8: {number} took {:?}",
            seen.duration_since(committed)
        );
    }
    let s = pty.screen_text();
    assert!(s.contains("3 items"), "{s}");
}

#[test]
fn r14_badge_turns_at_risk_on_time_without_a_key() {
    let db = db_with_agent();
    // A transferred complaint must be answered within 1 h; at 80 % used
    // (48 min) its badge turns to RISK.
    db.set_setting("sla.first_response.transfer", "1h");
    db.set_setting("sla.at_risk_percent", "80");
    let pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the empty queue", START, loaded);
    // Received a little under 48 min ago: at risk in `lead` seconds. The
    // screen also redraws when the minute turns; `lead` is chosen so that
    // no minute turns near the at-risk instant, so only a timer set for
    // the badge's own boundary shows RISK on time.
    let wall = chrono::Utc::now();
    let lead = (5..=12)
        .find(|d| !matches!((wall.timestamp() + d) % 60, 57..=59 | 0..=2))
        .unwrap_or(5);
    let received = wall - chrono::Duration::seconds(48 * 60 - lead);
    let risk_at = Instant::now() + Duration::from_secs(lead as u64);
    let t = received.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (number, _) = intake_timed(
        &db.path,
        &json("transfer", "R14 transfer", "13800004321", Some(&t)),
    );
    let (s, _) = pty.wait_for("the new row, on track", Duration::from_secs(2), |s| {
        row_of(s, &number).is_some_and(|r| r.starts_with("ok "))
    });
    assert!(Instant::now() < risk_at, "too slow to see 'ok' first:\n{s}");
    // No key is sent from here on: only the timer can change the badge.
    let (s, seen) = pty.wait_for("the row at risk", Duration::from_secs(20), |s| {
        row_of(s, &number).is_some_and(|r| r.starts_with("RISK "))
    });
    // received_at is cut to whole seconds: the instant is up to 1 s early.
    assert!(
        seen + Duration::from_millis(1500) >= risk_at,
        "RISK shown too early:\n{s}"
    );
    assert!(
        seen <= risk_at + Duration::from_secs(2),
        "RISK shown {:?} late:\n{s}",
        seen - risk_at
    );
    assert!(s.contains("at risk 1"), "header count follows:\n{s}");
}

/// Every escape sequence in `raw` must be a CSI (ESC [ params final) with
/// plain numeric parameters: what ratatui and crossterm emit for moving,
/// colouring, clearing and modes. Returns an error naming the first other.
fn only_plain_csi(raw: &[u8]) -> Result<(), String> {
    let mut i = 0;
    while let Some(off) = raw[i..].iter().position(|&b| b == 0x1b) {
        let at = i + off;
        let ctx = || String::from_utf8_lossy(&raw[at..(at + 24).min(raw.len())]).into_owned();
        if raw.get(at + 1) != Some(&b'[') {
            return Err(format!("non-CSI escape at byte {at}: {:?}", ctx()));
        }
        let mut j = at + 2;
        while j < raw.len() && (raw[j].is_ascii_digit() || raw[j] == b';' || raw[j] == b'?') {
            j += 1;
        }
        match raw.get(j) {
            Some(b) if b.is_ascii_alphabetic() => i = j + 1,
            _ => return Err(format!("odd CSI at byte {at}: {:?}", ctx())),
        }
    }
    Ok(())
}

#[test]
fn hostile_text_in_the_database_never_reaches_the_terminal_as_control() {
    let db = TempDb::new();
    // A hostile other writer puts escape sequences straight into the file;
    // intake would refuse them.
    let evil = |tag: &str| {
        format!("{tag}\u{1b}[2JCLR\u{1b}]0;pwned\u{7}OSC\u{9b}31mC1\u{202e}RTL\u{1b}[5;1HMOV")
    };
    let agent = db.add_agent("lina", "Li", "agent");
    let (number, _) = intake_timed(&db.path, &json("phone", "clean", "13800005678", None));
    let c = db.conn();
    let id: i64 = c
        .query_row(
            "SELECT id FROM complaints WHERE number = ?1",
            [&number],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE customers SET name = ?1 WHERE id = (SELECT customer_id FROM complaints WHERE id = ?2)",
        rusqlite::params![evil("Name"), id],
    )
    .unwrap();
    c.execute(
        "UPDATE complaints SET complainant_name = ?1, subject = ?2, description = ?3,
                assignee_id = ?4 WHERE id = ?5",
        rusqlite::params![
            evil("Name"),
            evil("Subj"),
            format!("{}\nsecond line {}", evil("Desc"), evil("Desc2")),
            agent,
            id
        ],
    )
    .unwrap();
    c.execute(
        "UPDATE agents SET name = ?1 WHERE id = ?2",
        rusqlite::params![evil("Agent"), agent],
    )
    .unwrap();
    c.execute(
        "INSERT INTO complaint_events (complaint_id, at, agent_id, kind, note)
         VALUES (?1, 0, ?2, 'note', ?3)",
        rusqlite::params![id, agent, evil("Note")],
    )
    .unwrap();
    drop(c);

    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the hostile row", START, |s| {
        loaded(s) && s.contains(&number)
    });
    // Open the selected row's whole detail: description and history.
    pty.send_keys(b"\r");
    pty.wait_for(
        "the detail with the description",
        Duration::from_secs(5),
        |s| s.contains("Desc[2JCLR]0;pwnedOSC31mC1RTL[5;1HMOV") && s.contains("Description:"),
    );
    pty.send_keys(b"q");
    let status = pty.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");

    let raw = pty.raw();
    let text = String::from_utf8_lossy(&raw);
    // The shown text is the payload with its control characters removed,
    // never the payload itself.
    for payload in [
        &b"\x1b[2JCLR"[..],
        b"\x1b]0;pwned",
        b"\x1b[5;1HMOV",
        b"pwned\x07",
    ] {
        assert!(
            pty::find(&raw, payload).is_none(),
            "payload {:?} reached the terminal",
            String::from_utf8_lossy(payload)
        );
    }
    assert!(!text.contains('\u{9b}'), "C1 CSI reached the terminal");
    assert!(
        !text.contains('\u{202e}'),
        "bidi override reached the terminal"
    );
    assert!(!text.contains('\u{7}'), "BEL reached the terminal");
    // No OSC at all; every escape is one of the plain CSIs the TUI itself
    // sends, so "pwned" cannot sit inside a sequence.
    only_plain_csi(&raw).unwrap();
    assert!(
        pty.term().parser.callbacks().titles.is_empty(),
        "the window title was set"
    );
    assert!(text.contains("pwned"), "the row was drawn (cleaned)");
}

/// Runs hotline under `sh`, then prints its exit code and `stty -a` on the
/// same terminal.
const THEN_STTY: &str = r#""$0" --db "$1" --agent lina --lang en; echo "EXIT=$?"; stty -a"#;

/// After the TUI ended: the main screen is back, the cursor shown, echo
/// and line editing restored (stty), and the last alternate-screen switch
/// in the output is the one that leaves it.
fn assert_restored(pty: &Pty, exit: &str) {
    let raw = pty.raw();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains(&format!("EXIT={exit}")),
        "expected exit {exit}:\n{}",
        pty.screen_text()
    );
    let entered = pty::rfind(&raw, b"\x1b[?1049h").expect("the TUI entered the alternate screen");
    let left = pty::rfind(&raw, b"\x1b[?1049l").expect("the TUI left the alternate screen");
    assert!(left > entered);
    let term = pty.term();
    assert!(
        !term.parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert!(!term.parser.screen().hide_cursor(), "cursor left hidden");
    drop(term);
    let (echo, icanon) = pty::stty_modes(&raw, "EXIT=");
    assert!(echo, "echo left off: {text}");
    assert!(icanon, "canonical mode left off: {text}");
}

#[test]
fn stty_check_can_tell_a_terminal_left_raw() {
    // The check above must be able to fail: a terminal left in raw mode
    // without echo is seen as such.
    let db = TempDb::new();
    let mut pty = Pty::sh(
        &db.path,
        r#"stty raw -echo; echo "EXIT=0"; stty -a; stty sane"#,
        &[],
        80,
        24,
    );
    pty.wait_exit(Duration::from_secs(10));
    assert_eq!(pty::stty_modes(&pty.raw(), "EXIT="), (false, false));
}

#[test]
fn terminal_restored_after_q() {
    let db = db_with_agent();
    let mut pty = Pty::sh(&db.path, THEN_STTY, &[], 80, 24);
    pty.wait_for("the queue", START, loaded);
    assert!(pty.alternate_screen());
    pty.send_keys(b"q");
    pty.wait_exit(Duration::from_secs(10));
    assert_restored(&pty, "0");
}

#[test]
fn terminal_restored_after_a_panic_and_the_message_is_readable() {
    let db = db_with_agent();
    let mut pty = Pty::sh(&db.path, THEN_STTY, &[("HOTLINE_TEST_PANIC", "1")], 80, 24);
    pty.wait_exit(START);
    assert_restored(&pty, "101");
    // The panic hook restores the terminal before the message is printed,
    // so the message lands on the main screen where it can be read.
    let raw = pty.raw();
    let screen = pty.screen_text();
    assert!(screen.contains("forced panic"), "{screen}");
    let msg = pty::rfind(&raw, b"forced panic").expect("panic message");
    let last_leave = pty::rfind(&raw, b"\x1b[?1049l").unwrap();
    assert!(
        msg > last_leave,
        "the terminal was switched again after the message (a second \
         restore can move the cursor back over it):\n{screen}\n{:?}",
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(600)..])
    );
}

fn restored_after_signal(sig: &str) {
    let db = db_with_agent();
    let mut pty = Pty::sh(&db.path, THEN_STTY, &[], 80, 24);
    pty.wait_for("the queue", START, loaded);
    let hotline = pty::children_of(pty.pid());
    assert_eq!(hotline.len(), 1, "hotline under sh: {hotline:?}");
    pty::signal(hotline[0], sig);
    pty.wait_exit(Duration::from_secs(10));
    assert_restored(&pty, "0");
}

#[test]
fn terminal_restored_after_sigterm() {
    restored_after_signal("TERM");
}

#[test]
fn terminal_restored_after_sighup() {
    restored_after_signal("HUP");
}

#[test]
fn unknown_agent_is_told_before_any_screen_opens() {
    let db = TempDb::new();
    let mut pty = Pty::hotline(&db.path, "nobody", &[], 80, 24);
    let status = pty.wait_exit(START);
    assert!(!status.success());
    let raw = pty.raw();
    assert!(
        pty::find(&raw, b"\x1b[?1049h").is_none(),
        "entered the alternate screen"
    );
    assert!(
        pty::find(&raw, b"\x1b[?").is_none(),
        "changed terminal modes"
    );
    let s = pty.screen_text();
    assert!(s.contains(r#"no agent "nobody""#), "{s}");
    assert!(s.contains("--agent LOGIN"), "{s}");
}

#[test]
fn resize_redraws_and_too_small_asks_to_enlarge() {
    let db = db_with_agent();
    intake_timed(&db.path, &json("phone", "resize me", "13800008888", None));
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| loaded(s) && s.contains("1 items"));
    pty.resize(60, 20);
    pty.wait_for("the enlarge message", Duration::from_secs(5), |s| {
        s.contains("please enlarge") && !s.contains("Hotline · Queue")
    });
    // Keys on the too-small screen do nothing (the agent cannot see what
    // they would act on): "2" does not switch the filter.
    pty.send_keys(b"2");
    std::thread::sleep(Duration::from_millis(300));
    pty.resize(100, 30);
    let (s, _) = pty.wait_for("the queue again", Duration::from_secs(5), |s| {
        loaded(s) && s.contains("1 items") && !s.contains("please enlarge")
    });
    assert!(s.contains("[All]"), "{s}");
    // Drawn for the new width: the header reaches the right edge.
    let header = s.lines().next().unwrap_or("");
    assert!(
        header.trim_end().ends_with(|c: char| c.is_ascii_digit()),
        "{s}"
    );
    assert!(
        unicode_width::UnicodeWidthStr::width(header.trim_end()) > 90,
        "{s}"
    );
    // One row short is too small as well.
    pty.resize(80, 23);
    pty.wait_for("the enlarge message", Duration::from_secs(5), |s| {
        s.contains("please enlarge")
    });
    pty.resize(80, 24);
    pty.wait_for("the queue again", Duration::from_secs(5), loaded);
}
