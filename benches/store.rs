//! Durable complaint registrations per second from 1, 4 and 16 processes,
//! beside plain rusqlite INSERT-and-commit with the same pragmas, measured
//! in the same run. Run: `cargo bench --bench store`.
//! Each worker is this program re-run with HOTLINE_BENCH_WORKER set.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hotline::domain::intake;
use hotline::store::complaints::{self, Actor};
use hotline::store::{Db, OpenMode, init};

const PER_PROCESS_TOTAL: u64 = 800; // registrations per configuration, split over processes

fn worker(mode: &str, path: &Path, count: u64, tag: u64) {
    match mode {
        "hotline" => {
            let mut db = Db::open(path, OpenMode::Existing).expect("open");
            for i in 0..count {
                let json = format!(
                    r#"{{"channel":"phone","category":"service","subject":"bench {tag}-{i}","description":"宽带断网三天未修复，客户要求今天回电。","customer":{{"name":"张三","phone":"1390000{:04}"}}}}"#,
                    (tag * 1000 + i) % 10_000
                );
                db.write_with_settings(|tx, s| {
                    let now = hotline::clock::now();
                    let nc = intake::from_json(&json, s.calendar.tz, now)?;
                    complaints::register(tx, &nc, Actor::SYSTEM, s, now.timestamp())
                })
                .expect("register");
            }
        }
        _ => {
            let c = rusqlite::Connection::open(path).expect("open");
            c.busy_timeout(Duration::from_secs(15)).expect("busy");
            c.execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            )
            .expect("pragmas");
            for i in 0..count {
                c.execute_batch("BEGIN IMMEDIATE").expect("begin");
                c.execute(
                    "INSERT INTO plain (number, subject, description, at) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![
                        format!("P{tag}-{i}"),
                        format!("bench {tag}-{i}"),
                        "宽带断网三天未修复，客户要求今天回电。",
                        i as i64
                    ],
                )
                .expect("insert");
                c.execute_batch("COMMIT").expect("commit");
            }
        }
    }
}

fn prepare(mode: &str, path: &Path) {
    if mode == "hotline" {
        let mut db = Db::open(path, OpenMode::Create).expect("create");
        db.write(|tx| init::defaults(tx, "Asia/Shanghai", "bench", 0))
            .expect("init");
    } else {
        let c = rusqlite::Connection::open(path).expect("create");
        c.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE plain (id INTEGER PRIMARY KEY, number TEXT UNIQUE, subject TEXT, description TEXT, at INTEGER);",
        )
        .expect("schema");
    }
}

/// Registrations per second for `procs` processes sharing one new file.
fn measure(mode: &str, procs: u64) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    prepare(mode, &path);
    let per = PER_PROCESS_TOTAL / procs;
    let exe = std::env::current_exe().expect("exe");
    let start = Instant::now();
    let children: Vec<_> = (0..procs)
        .map(|p| {
            Command::new(&exe)
                .env("HOTLINE_BENCH_WORKER", format!("{mode}:{p}:{per}"))
                .env("HOTLINE_BENCH_DB", &path)
                .spawn()
                .expect("spawn worker")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success(), "a worker failed");
    }
    (per * procs) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    if let Ok(spec) = std::env::var("HOTLINE_BENCH_WORKER") {
        let mut it = spec.split(':');
        let mode = it.next().unwrap_or("plain").to_string();
        let tag: u64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let count: u64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let path = std::env::var("HOTLINE_BENCH_DB").expect("HOTLINE_BENCH_DB");
        worker(&mode, Path::new(&path), count, tag);
        return;
    }
    println!(
        "durable registrations per second ({PER_PROCESS_TOTAL} per configuration, synchronous=FULL, WAL)"
    );
    println!(
        "{:>9} | {:>14} | {:>14} | {:>6}",
        "processes", "hotline reg/s", "plain insert/s", "ratio"
    );
    for procs in [1u64, 4, 16] {
        // Interleave and repeat so drift on a noisy machine hits both sides.
        let mut h = Vec::new();
        let mut p = Vec::new();
        for _ in 0..3 {
            h.push(measure("hotline", procs));
            p.push(measure("plain", procs));
        }
        h.sort_by(f64::total_cmp);
        p.sort_by(f64::total_cmp);
        let (hm, pm) = (h[1], p[1]);
        println!(
            "{procs:>9} | {hm:>14.0} | {pm:>14.0} | {:>5.0}%",
            100.0 * hm / pm
        );
    }
}
