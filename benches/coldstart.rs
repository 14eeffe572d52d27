//! Cold-start benchmark (issue 10): `cargo bench --bench coldstart`.
//!
//! On one seeded database (default 1,000,000 customers; reused from
//! `HOTLINE_BENCH_DB`, default `/tmp/hotline-bench-1m.db`, made with
//! `hotline seed-demo` when missing; `HOTLINE_BENCH_CUSTOMERS` for another
//! size), side by side in one run:
//!   * the index in-process: build from the database, snapshot write and
//!     read, heap size;
//!   * whole processes: `hotline search QUERY` with no snapshot and with
//!     one, against `fzf --filter QUERY` over a file of the same names and
//!     phones (install with `apt-get install -y fzf`; the row is skipped
//!     with a message when fzf is absent) — wall time and peak memory,
//!     through GNU time (`/usr/bin/time`);
//!   * `hotline lookup --phone` whole process;
//!   * the TUI in an 80x24 pseudo-terminal: from start to the first
//!     keystroke of a search answered, with and without a snapshot, and
//!     its resident size once the index is in.
//!
//! Figures are medians of `HOTLINE_BENCH_RUNS` (default 5) runs.
//! `HOTLINE_BENCH_INDEX_ONLY=1` stops after the in-process part and
//! prints the index's heap by part (a minute instead of many).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use common::pty::Pty;
use common::{BIN, knob, stderr};
use hotline::live_index as live;
use hotline::search::snapshot;
use hotline::store::{Db, OpenMode};

const QUERY: &str = "张伟";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// (wall s, peak RSS MB) of a whole process, through GNU time; its CPU
/// seconds are added to `cpu`.
fn timed_cpu(args: &[&str], stdin: Option<&Path>, cpu: &mut f64) -> Option<(f64, f64)> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg("TIME %e %M %U %S").args(args);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(p) = stdin {
        cmd.stdin(std::fs::File::open(p).ok()?);
    }
    let out = cmd.output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().rev().find(|l| l.starts_with("TIME "))?;
    let mut it = line.split_whitespace().skip(1);
    let wall: f64 = it.next()?.parse().ok()?;
    let kb: f64 = it.next()?.parse().ok()?;
    for _ in 0..2 {
        *cpu += it.next()?.parse::<f64>().ok()?;
    }
    Some((wall, kb / 1000.0))
}

fn timed(args: &[&str], stdin: Option<&Path>) -> Option<(f64, f64)> {
    timed_cpu(args, stdin, &mut 0.0)
}

/// CPU seconds this process has used so far (all threads; USER_HZ 100).
fn cpu_now() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn runs(n: usize, mut f: impl FnMut() -> Option<(f64, f64)>) -> Option<(f64, f64)> {
    let v: Vec<(f64, f64)> = (0..n).filter_map(|_| f()).collect();
    if v.is_empty() {
        return None;
    }
    Some((
        median(v.iter().map(|x| x.0).collect()),
        median(v.iter().map(|x| x.1).collect()),
    ))
}

fn ensure_db(path: &Path, customers: u64) {
    if path.exists() {
        return;
    }
    eprintln!("seeding {customers} customers into {} ...", path.display());
    let ok = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(path)
            .args(args)
            .output()
            .expect("run hotline");
        assert!(out.status.success(), "{}", stderr(&out));
    };
    ok(&["init"]);
    let n = customers.to_string();
    let complaints = (customers / 200).clamp(100, 5000).to_string();
    ok(&["seed-demo", "--customers", &n, "--complaints", &complaints]);
}

fn bench_agent(path: &Path) {
    let c = rusqlite::Connection::open(path).expect("open");
    c.execute(
        "INSERT OR IGNORE INTO agents (login, name, role, active, created_at)
         VALUES ('bench', 'Bench', 'agent', 1, 0)",
        [],
    )
    .expect("agent");
}

/// The names and phones of every customer, one a line, for fzf.
fn names_file(path: &Path) -> PathBuf {
    let out = path.with_extension("names.txt");
    if out.exists() {
        return out;
    }
    let c = rusqlite::Connection::open(path).expect("open");
    let mut st = c
        .prepare(
            "SELECT name || ' ' || coalesce((SELECT group_concat(phone, ' ')
                 FROM customer_phones p WHERE p.customer_id = c.id), '')
             FROM customers c ORDER BY id",
        )
        .expect("prepare");
    let lines: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    std::fs::write(&out, lines.join("\n") + "\n").expect("write names");
    out
}

fn a_phone(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).expect("open");
    c.query_row(
        "SELECT phone FROM customer_phones WHERE customer_id =
           (SELECT customer_id FROM complaints WHERE status <> 'closed'
            AND customer_id IS NOT NULL LIMIT 1)",
        [],
        |r| r.get(0),
    )
    .expect("a phone")
}

fn rss_mb(pid: u32) -> f64 {
    common::status_kb(pid, "VmRSS:").map_or(f64::NAN, |kb| kb / 1000.0)
}

/// Seconds from starting the TUI to a search typed at once being answered
/// (`/` and the query sent as soon as the queue shows), and the resident
/// size once answered.
fn tui_first_search(path: &Path) -> (f64, f64) {
    let t = Instant::now();
    let mut pty = Pty::hotline(path, "bench", &[], 80, 24);
    pty.wait_for("the queue", Duration::from_secs(120), |s| {
        s.contains("items")
    });
    pty.send_keys(b"/zhangwei");
    let (_, at) = pty.wait_for("search results", Duration::from_secs(300), |s| {
        s.lines().filter(|l| l.contains(QUERY)).count() >= 3
    });
    let secs = at.duration_since(t).as_secs_f64();
    let rss = rss_mb(pty.pid());
    pty.send_keys(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    pty.send_keys(b"q");
    let _ = pty.wait_exit(Duration::from_secs(30));
    (secs, rss)
}

fn main() {
    let customers = knob("HOTLINE_BENCH_CUSTOMERS", 1_000_000);
    let n_runs = knob("HOTLINE_BENCH_RUNS", 5) as usize;
    let path = PathBuf::from(
        std::env::var("HOTLINE_BENCH_DB").unwrap_or_else(|_| "/tmp/hotline-bench-1m.db".into()),
    );
    ensure_db(&path, customers);
    bench_agent(&path);
    let snap = snapshot::path_for(&path);
    let db_s = path.to_string_lossy().into_owned();
    let search_args = [
        "--db", &db_s, "--agent", "bench", "search", QUERY, "--limit", "10",
    ];
    let mut hot: Vec<&str> = vec![BIN];
    hot.extend(search_args);

    // In-process: build, write, read.
    let mut db = Db::open(&path, OpenMode::Existing).expect("open");
    let (t, cpu0) = (Instant::now(), cpu_now());
    let (idx, rev) = live::load(&mut db, &AtomicBool::new(false), |_, _| {}).expect("build");
    let build = t.elapsed().as_secs_f64();
    let build_cpu = cpu_now() - cpu0;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let meta = snapshot::Meta {
        rev,
        ..live::meta(&mut db).expect("meta")
    };
    let t = Instant::now();
    snapshot::write(&path, &idx, &meta).expect("write");
    let write = t.elapsed().as_secs_f64();
    let file_mb = std::fs::metadata(&snap).map_or(0.0, |m| m.len() as f64 / 1e6);
    let t = Instant::now();
    let (again, _) = snapshot::read(&path, &meta).expect("read");
    let read = t.elapsed().as_secs_f64();
    assert_eq!(again.len(), idx.len());
    let index_mb = idx.memory_bytes() as f64 / 1e6;
    let customers_n = idx.len();
    if std::env::var_os("HOTLINE_BENCH_INDEX_ONLY").is_some() {
        println!(
            "{customers_n} customers: index build {build:.2} s wall, {build_cpu:.2} CPU-s (load average then: {}); heap {index_mb:.1} MB; snapshot {file_mb:.1} MB written in {write:.2} s, read and checked in {read:.2} s",
            load.trim()
        );
        for (part, bytes) in idx.memory_breakdown() {
            println!("  {part:<24} {:>7.1} MB", bytes as f64 / 1e6);
        }
        return;
    }
    drop((idx, again, db));

    // Whole processes.
    let _ = std::fs::remove_file(&snap);
    let mut cold_cpu = 0.0;
    let cold = runs(1, || {
        let _ = std::fs::remove_file(&snap);
        timed_cpu(&hot, None, &mut cold_cpu)
    });
    let warm = runs(n_runs, || timed(&hot, None));
    let names = names_file(&path);
    let has_fzf = Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let fzf = if has_fzf {
        runs(n_runs, || timed(&["fzf", "--filter", QUERY], Some(&names)))
    } else {
        None
    };
    let phone = a_phone(&path);
    let lookup_args = [
        BIN, "--db", &db_s, "--agent", "bench", "lookup", "--phone", &phone,
    ];
    let lookup = runs(n_runs.max(11), || timed(&lookup_args, None));

    // The TUI.
    let _ = std::fs::remove_file(&snap);
    let tui_cold = tui_first_search(&path);
    // The cold run wrote the snapshot; make sure before the warm run.
    if !snap.exists() {
        let _ = timed(&hot, None);
    }
    let tui_warm: Vec<(f64, f64)> = (0..3).map(|_| tui_first_search(&path)).collect();
    let tui_warm = (
        median(tui_warm.iter().map(|x| x.0).collect()),
        median(tui_warm.iter().map(|x| x.1).collect()),
    );

    println!(
        "\n{customers_n} customers ({}), query {QUERY}, median of {n_runs} runs",
        path.display()
    );
    println!(
        "index in-process: build from the database {build:.2} s wall, {build_cpu:.2} CPU-s (load average then: {}), heap {index_mb:.1} MB; snapshot {file_mb:.1} MB written in {write:.2} s, read and checked in {read:.2} s",
        load.trim()
    );
    println!(
        "| {:<44} | {:>8} | {:>9} |",
        "whole process", "wall s", "peak MB"
    );
    println!("|{:-<46}|{:->10}|{:->11}|", "", "", "");
    let row = |name: &str, r: Option<(f64, f64)>| match r {
        Some((w, m)) => println!("| {name:<44} | {w:>8.3} | {m:>9.1} |"),
        None => println!("| {name:<44} | {:>8} | {:>9} |", "-", "-"),
    };
    row("hotline search, no snapshot (builds, writes)", cold);
    println!("  (that process used {cold_cpu:.2} CPU-s)");
    row("hotline search, snapshot present", warm);
    match fzf {
        Some(_) => row("fzf --filter (names + phones file)", fzf),
        None => {
            println!("| fzf --filter: skipped, fzf is not installed (apt-get install -y fzf) |")
        }
    }
    row("hotline lookup --phone", lookup);
    if let (Some(w), Some(f)) = (warm, fzf) {
        println!(
            "ratio hotline search (snapshot) / fzf: wall x{:.2} (goal <= 0.5), peak memory x{:.2} (goal <= 1)",
            w.0 / f.0,
            w.1 / f.1
        );
    }
    println!(
        "TUI start -> first search answered: {:.2} s with a snapshot (goal <= 1), {:.2} s without (goal <= 2); resident {:.0} MB / {:.0} MB",
        tui_warm.0, tui_cold.0, tui_warm.1, tui_cold.1
    );
}
