//! R7: claiming is atomic. Two real processes claim the same complaint at
//! the same moment, 50 times: exactly one gets it each time, the other is
//! told who did, and the database agrees with the winner.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::io::Write;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

const ROUNDS: usize = 50;

/// True once process `pid` has the database file open, i.e. it is past
/// start-up and about to wait on stdin.
fn has_open(pid: u32, db: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|p| p == db))
}

fn wait_ready(children: &[&Child], db: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !children.iter().all(|c| has_open(c.id(), db)) {
        if Instant::now() > deadline {
            // /proc may not show it; the race below is still a race.
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // Past the agent check and into the read of stdin.
    std::thread::sleep(Duration::from_millis(20));
}

#[test]
fn r7_two_processes_claim_at_once_exactly_one_wins_50_times() {
    let db = TempDb::new();
    let db_path = db.path.canonicalize().unwrap();
    let alice = db.add_agent("alice", "Alice Chen", "agent");
    let bob = db.add_agent("bob", "王强", "agent");
    let input: String = (0..ROUNDS)
        .map(|i| complaint_json(&format!("R7 round {i}"), &format!("13900{i:06}")) + "\n")
        .collect();
    let out = db.run(&["intake"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let numbers: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(numbers.len(), ROUNDS);

    let mut wins = [0usize; 2];
    for (round, number) in numbers.iter().enumerate() {
        // Alternate who is started (and released) first.
        let order: [(&str, i64, &str); 2] = if round % 2 == 0 {
            [("alice", alice, "Alice Chen"), ("bob", bob, "王强")]
        } else {
            [("bob", bob, "王强"), ("alice", alice, "Alice Chen")]
        };
        let mut a = claimer(&db_path, order[0].0);
        let mut b = claimer(&db_path, order[1].0);
        wait_ready(&[&a, &b], &db_path);
        // Release both together: one line each, back to back.
        let line = format!("{number}\n");
        let mut ia = a.stdin.take().unwrap();
        let mut ib = b.stdin.take().unwrap();
        ia.write_all(line.as_bytes()).unwrap();
        ib.write_all(line.as_bytes()).unwrap();
        drop((ia, ib));
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];

        let winners: Vec<usize> = (0..2).filter(|&i| outs[i].status.success()).collect();
        assert_eq!(
            winners.len(),
            1,
            "round {round}: {} winners: {:?} / {:?}",
            winners.len(),
            stderr(&outs[0]),
            stderr(&outs[1])
        );
        let (w, l) = (winners[0], 1 - winners[0]);
        assert_eq!(stdout(&outs[w]).trim(), format!("claimed {number}"));
        // The loser is told who has it, with the "taken" exit status.
        assert_eq!(outs[l].status.code(), Some(4), "round {round}");
        assert_eq!(
            stderr(&outs[l]).trim(),
            format!("hotline: {number} already taken by {}", order[w].2),
            "round {round}"
        );
        assert!(stdout(&outs[l]).is_empty());
        // The database agrees, and only one assignment was recorded.
        let c = db.conn();
        let (assignee, events): (i64, i64) = c
            .query_row(
                "SELECT x.assignee_id,
                        (SELECT count(*) FROM complaint_events e
                         WHERE e.complaint_id = x.id AND e.kind = 'assigned')
                 FROM complaints x WHERE x.number = ?1",
                [number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(assignee, order[w].1, "round {round}");
        assert_eq!(events, 1, "round {round}");
        wins[usize::from(order[w].0 == "bob")] += 1;
    }
    eprintln!("R7: alice won {}, bob won {}", wins[0], wins[1]);
    assert!(db.integrity_ok());
}

#[test]
fn r7_claim_cli_reports_unknown_numbers_and_agents() {
    let db = TempDb::new();
    db.add_agent("alice", "Alice Chen", "agent");
    let out = db.run(&["--agent", "alice", "claim", "C20990101-0001"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not found: complaint C20990101-0001"),
        "{}",
        stderr(&out)
    );
    let out = db.run(&["--agent", "nobody", "claim", "C20990101-0001"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(r#"no agent "nobody""#),
        "{}",
        stderr(&out)
    );
    // Claiming one's own complaint again is fine.
    let number = stdout(&db.run(&["intake"], &complaint_json("mine", "13900000001")))
        .trim()
        .to_string();
    for _ in 0..2 {
        let out = db.run(&["--agent", "alice", "claim", &number], "");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out).trim(), format!("claimed {number}"));
    }
}
