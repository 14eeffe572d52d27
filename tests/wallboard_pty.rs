//! The wallboard (R27) as a supervisor sees it: the real binary in a
//! pseudo-terminal, other processes changing the database. A major
//! complaint registered by another process and its acknowledgement by
//! another supervisor's wallboard (R12) both show within 1 s with no key
//! pressed; agent presence follows sessions (two sessions count once, a
//! session killed with SIGKILL turns offline within the configured limit);
//! agents are refused.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty::{Pty, signal};
use common::*;

use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(20);

fn db() -> TempDb {
    let db = TempDb::new();
    db.add_agent("zhao", "Zhao Ban", "supervisor");
    db.add_agent("qian", "Qian Jing", "supervisor");
    db.add_agent("lina", "Li Na", "agent");
    db
}

fn wallboard(db: &TempDb, login: &str, cols: u16, rows: u16) -> Pty {
    Pty::sh(
        &db.path,
        &format!("exec \"$0\" --db \"$1\" --agent {login} --lang en wallboard"),
        &[],
        cols,
        rows,
    )
}

fn shown(s: &str) -> bool {
    s.contains("Unacknowledged major complaints") && s.contains("page 1/")
}

fn major(subject: &str) -> String {
    format!(
        r#"{{"channel":"phone","category":"service","severity":"major","major_reasons":["media"],"subject":"{subject}","customer":{{"name":"Wang Fang","phone":"13800001234"}}}}"#
    )
}

#[test]
fn r27_r12_another_process_s_complaint_and_acknowledgement_within_one_second() {
    let db = db();
    let board = wallboard(&db, "zhao", 200, 60);
    board.wait_for("the wallboard", START, shown);
    let (number, committed) = intake_timed(&db.path, &major("媒体曝光 R12"));
    let (s, seen) = board.wait_for(&number, Duration::from_secs(2), |s| s.contains(&number));
    assert!(
        seen.duration_since(committed) < Duration::from_secs(1),
        "the new major took {:?}",
        seen.duration_since(committed)
    );
    assert!(s.contains("1 major complaint(s) not acknowledged"), "{s}");
    // Another supervisor acknowledges it from their own wallboard.
    let mut other = wallboard(&db, "qian", 80, 24);
    other.wait_for("the other wallboard", START, |s| {
        shown(s) && s.contains(&number)
    });
    other.send_keys(b"a");
    let t0 = Instant::now();
    let (s, gone) = board.wait_for("the acknowledgement", Duration::from_secs(3), |s| {
        !s.contains(&number)
    });
    assert!(
        gone.duration_since(t0) < Duration::from_secs(1),
        "the acknowledgement took {:?}\n{s}",
        gone.duration_since(t0)
    );
    // R12: who and when, recorded.
    let by = db.count("SELECT count(*) FROM complaints c JOIN agents a ON a.id = c.ack_by WHERE a.login = 'qian' AND c.ack_at IS NOT NULL");
    assert_eq!(by, 1);
}

#[test]
fn presence_two_sessions_count_once_and_a_killed_session_turns_offline() {
    let db = db();
    db.set_setting("presence.offline_seconds", "3");
    let board = wallboard(&db, "zhao", 200, 60);
    board.wait_for("the wallboard", START, shown);
    let agent_line = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("Li Na"))
            .map(str::to_string)
            .collect()
    };
    let one = Pty::hotline(&db.path, "lina", &[], 80, 24);
    let two = Pty::hotline(&db.path, "lina", &[], 80, 24);
    for p in [&one, &two] {
        p.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
    }
    board.wait_for("Li Na idle", Duration::from_secs(5), |s| {
        agent_line(s).iter().any(|l| l.contains("idle"))
    });
    let sessions = rusqlite::Connection::open(hotline::store::presence::path_for(&db.path))
        .expect("presence file")
        .query_row(
            "SELECT count(*) FROM sessions s WHERE s.agent_id = (SELECT 0 + ?1)",
            [db.count("SELECT id FROM agents WHERE login = 'lina'")],
            |r| r.get::<_, i64>(0),
        )
        .expect("sessions");
    assert_eq!(sessions, 2, "two sessions recorded");
    assert_eq!(
        agent_line(&board.screen_text()).len(),
        1,
        "one agent, one line"
    );
    // SIGKILL both: no clean exit, the rows stay and go stale.
    signal(one.pid(), "KILL");
    signal(two.pid(), "KILL");
    let t0 = Instant::now();
    let (s, at) = board.wait_for("Li Na offline", Duration::from_secs(8), |s| {
        agent_line(s).iter().any(|l| l.contains("offline"))
    });
    // The last beat was at most a beat (1 s) before the kill; offline
    // after 3 s of silence, computed at that instant, drawn at once.
    assert!(
        at.duration_since(t0) <= Duration::from_millis(3_000 + 1_500),
        "offline after {:?}\n{s}",
        at.duration_since(t0)
    );
}

#[test]
fn r27_agents_are_refused_the_wallboard() {
    let db = db();
    let out = db.run(&["--agent", "lina", "wallboard"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("supervisors and up"),
        "{}",
        stderr(&out)
    );
    let mut p = Pty::hotline(&db.path, "lina", &[], 80, 24);
    p.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
    p.send_keys(b"w");
    p.wait_for("the refusal", Duration::from_secs(3), |s| {
        s.contains("The wallboard is for supervisors and up")
    });
}
