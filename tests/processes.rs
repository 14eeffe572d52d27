//! Many real processes on one database file: unique numbers under
//! contention (R1) and no acknowledged write lost to kill -9.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn r1_eight_processes_register_1600_complaints_with_distinct_numbers() {
    let db = TempDb::new();
    let children: Vec<_> = (0..8)
        .map(|p| {
            let input: String = (0..200)
                .map(|i| complaint_json(&format!("p{p} n{i}"), &format!("1390000{p}{i:03}")) + "\n")
                .collect();
            let mut child = Command::new(BIN)
                .args(["--db"])
                .arg(&db.path)
                .arg("intake")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
            (child, writer)
        })
        .collect();
    let mut numbers = HashSet::new();
    for (child, writer) in children {
        writer.join().unwrap().unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a process failed: {}", stderr(&out));
        let printed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
        assert_eq!(printed.len(), 200);
        for n in printed {
            assert!(is_number(&n), "{n}");
            assert!(numbers.insert(n.clone()), "{n} printed twice");
        }
    }
    assert_eq!(numbers.len(), 1600);
    assert_eq!(
        db.count("SELECT count(DISTINCT number) FROM complaints"),
        1600
    );
    assert_eq!(db.count("SELECT count(*) FROM complaint_reports"), 1600);
    assert!(db.integrity_ok());
}

/// A tiny deterministic generator for kill moments.
fn moments(seed: u64, n: usize) -> Vec<u64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            20 + x % 250
        })
        .collect()
}

#[test]
fn kill_9_loses_no_printed_complaint() {
    let db = TempDb::new();
    let mut printed: Vec<String> = Vec::new();
    for (round, wait_ms) in moments(0x5eed, 20).into_iter().enumerate() {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db.path)
            .arg("intake")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            for i in 0.. {
                let line = complaint_json(&format!("round {round} #{i}"), "13700137000") + "\n";
                if stdin.write_all(line.as_bytes()).is_err() {
                    break;
                }
            }
        });
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        feeder.join().unwrap();
        printed.extend(reader.join().unwrap());
    }
    assert!(
        printed.len() >= 20,
        "too few registrations to mean anything: {}",
        printed.len()
    );
    let conn = db.conn();
    for n in &printed {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM complaints WHERE number = ?1",
                [n],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            found, 1,
            "{n} was printed (committed) but is not in the database"
        );
    }
    // Every stored complaint is whole: it has its report and its event.
    assert_eq!(
        db.count("SELECT count(*) FROM complaints WHERE id NOT IN (SELECT complaint_id FROM complaint_reports)"),
        0
    );
    assert!(db.integrity_ok());
}
