//! Issue 11's stress suite: kill -9 in the middle of work, many agents on
//! one file, claim races. Each test prints one table. The short versions
//! run in `cargo test`; the long ones are the `#[ignore]`d `long_*` tests:
//!
//! ```sh
//! cargo test --release --test stress -- --ignored --nocapture --test-threads 1
//! ```
//!
//! `STRESS_KILLS`, `STRESS_AGENTS`, `STRESS_SECONDS` and `STRESS_RACES`
//! override the long runs' sizes.
//!
//! Workers are this test binary run again (`stress_worker`, env
//! `STRESS_WORKER_DB`): it does what the TUI's store thread does, through
//! the library's store functions, and prints `ACK ...` only after each
//! commit returns. Intake and claims go through the real `hotline` binary.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hotline::domain::model::{ContactMethod, Role};
use hotline::domain::outcome::Choices;
use hotline::error::Error;
use hotline::store::calls::{self, Recorded};
use hotline::store::complaints::{self, Actor};
use hotline::store::{Db, OpenMode, drafts, queue};

fn env_num(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

// The demo's deterministic generator (SplitMix64), shared with the benches.
use hotline::demo::Rng;

fn intake_json(subject: &str, phone: &str, dup: Option<&str>) -> String {
    match dup {
        Some(n) => format!(
            r#"{{"channel":"web","category":"service","subject":"{subject}","anonymous":true,"duplicate_of":"{n}"}}"#
        ),
        None => complaint_json(subject, phone),
    }
}

fn is_busy(e: &Error) -> bool {
    let s = e.to_string();
    s.contains("database is locked") || s.contains("busy")
}

// ---------------------------------------------------------------- worker

/// The worker process. Does nothing unless started by a stress test.
#[test]
fn stress_worker() {
    let Ok(path) = std::env::var("STRESS_WORKER_DB") else {
        return;
    };
    let login = std::env::var("STRESS_WORKER_AGENT").unwrap_or_default();
    let seed = env_num("STRESS_WORKER_SEED", 1) as u64;
    let until = std::env::var("STRESS_WORKER_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(|s| Instant::now() + Duration::from_secs(s));
    let mut db = Db::open(Path::new(&path), OpenMode::Existing).expect("open");
    let me = db
        .read(|c| hotline::store::agents::by_login(c, &login))
        .expect("agent");
    let mut out = std::io::stdout().lock();
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (mut ops, mut busy) = (0u64, 0u64);
    let mut lat: Vec<u64> = Vec::new();
    let mut mine: Vec<(i64, String)> = Vec::new();
    let mut i = 0u64;
    loop {
        if until.is_some_and(|u| Instant::now() > u) {
            break;
        }
        i += 1;
        let now = hotline::clock::now();
        let started = Instant::now();
        let (ack, wrote): (Option<String>, bool) = match rng.below(if until.is_some() {
            6
        } else {
            4
        }) {
            0 => {
                let json = intake_json(
                    &format!("w{seed} #{i}"),
                    &format!("139{:08}", (seed * 100_000 + i) % 100_000_000),
                    None,
                );
                let r = db.write_with_settings(|tx, s| {
                    let nc = hotline::domain::intake::from_json(&json, s.calendar.tz, now)?;
                    complaints::register(tx, &nc, Actor::SYSTEM, s, now.timestamp())
                });
                match r {
                    Ok(r) => {
                        mine.push((r.id, r.number.clone()));
                        (Some(format!("reg {}", r.number)), true)
                    }
                    Err(e) => {
                        busy += u64::from(is_busy(&e));
                        (None, true)
                    }
                }
            }
            1 => match mine.last().cloned() {
                Some((_, number)) => {
                    let json = intake_json("dup", "", Some(&number));
                    let r = db.write_with_settings(|tx, s| {
                        let nc = hotline::domain::intake::from_json(&json, s.calendar.tz, now)?;
                        complaints::register(tx, &nc, Actor::SYSTEM, s, now.timestamp())?;
                        let n: i64 = tx.query_row(
                            "SELECT complainant_count FROM complaints WHERE number = ?1",
                            [&number],
                            |r| r.get(0),
                        )?;
                        Ok(n)
                    });
                    match r {
                        Ok(n) => (Some(format!("dup {number} {n}")), true),
                        Err(e) => {
                            busy += u64::from(is_busy(&e));
                            (None, true)
                        }
                    }
                }
                None => (None, false),
            },
            2 => match mine.pop() {
                Some((id, number)) => {
                    let r = db.write_with_settings(|tx, s| {
                        // Concurrent agents: take it first, as the TUI does.
                        let _ = complaints::claim(tx, id, me.id, now.timestamp());
                        let rec = Recorded {
                            complaint_id: id,
                            callback_id: None,
                            agent: me.id,
                            role: me.role,
                            code: "resolved",
                            note: "stress: 客户已确认",
                            method: ContactMethod::Phone,
                            signature: None,
                            survey: None,
                            choices: Choices::default(),
                            started_at: now.timestamp() - 60,
                            draft: None,
                        };
                        calls::record(tx, &rec, s, now.timestamp())
                    });
                    match r {
                        Ok(a) => (Some(format!("out {} {number}", a.contact_id)), true),
                        Err(e) => {
                            busy += u64::from(is_busy(&e));
                            (None, true)
                        }
                    }
                }
                None => (None, false),
            },
            3 => {
                let ctx = format!("stress:{seed}:{i}");
                let body = format!("草稿 {i} {}", "x".repeat(rng.below(400) as usize));
                let r = db.write(|tx| drafts::save(tx, me.id, &ctx, &body, now.timestamp()));
                match r {
                    Ok(()) => (Some(format!("draft {ctx} {}", body.len())), true),
                    Err(e) => {
                        busy += u64::from(is_busy(&e));
                        (None, true)
                    }
                }
            }
            4 => {
                // Claim the oldest unassigned complaint, if any.
                let r = db.write(|tx| {
                    let id: Option<i64> = tx
                        .query_row(
                            "SELECT id FROM complaints WHERE assignee_id IS NULL AND status = 'new' LIMIT 1",
                            [],
                            |r| r.get(0),
                        )
                        .ok();
                    match id {
                        Some(id) => complaints::claim(tx, id, me.id, now.timestamp()).map(|_| ()),
                        None => Ok(()),
                    }
                });
                if let Err(e) = r {
                    busy += u64::from(is_busy(&e));
                }
                (None, true)
            }
            _ => {
                // What a screen refresh reads: the queue.
                let r = db.read(|tx| queue::load(tx, me.id, me.role, now.timestamp() + 86_400, 80));
                if let Err(e) = r {
                    busy += u64::from(is_busy(&e));
                }
                (None, false)
            }
        };
        ops += 1;
        if wrote {
            lat.push(started.elapsed().as_micros() as u64);
        }
        if let Some(a) = ack {
            // After the commit returned: this record must survive anything.
            if writeln!(out, "ACK {a}").and_then(|_| out.flush()).is_err() {
                return;
            }
        }
    }
    let lat: Vec<String> = lat.iter().map(u64::to_string).collect();
    let _ = writeln!(out, "STAT {ops} {busy} {}", lat.join(","));
    let _ = out.flush();
}

fn spawn_worker(db: &Path, agent: &str, seed: u64, seconds: Option<u64>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([
        "stress_worker",
        "--exact",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("STRESS_WORKER_DB", db)
    .env("STRESS_WORKER_AGENT", agent)
    .env("STRESS_WORKER_SEED", seed.to_string())
    .env_remove("HOTLINE_DB")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(s) = seconds {
        cmd.env("STRESS_WORKER_SECONDS", s.to_string());
    }
    cmd.spawn().expect("spawn worker")
}

/// Lines of a child's stdout, on a thread, so the parent can stop reading
/// at any moment (then kill).
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    rx
}

/// Checks one acknowledged record against the reopened file; true if it
/// is there and whole.
fn present(c: &rusqlite::Connection, ack: &str) -> bool {
    let f: Vec<&str> = ack.split(' ').collect();
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> i64 {
        c.query_row(sql, p, |r| r.get(0)).unwrap_or(-1)
    };
    match f.as_slice() {
        ["reg", number] => {
            one(
                "SELECT count(*) FROM complaints x JOIN complaint_events e ON e.complaint_id = x.id
                 WHERE x.number = ?1 AND e.kind = 'registered'",
                &[number],
            ) == 1
        }
        ["dup", number, n] => {
            let n: i64 = n.parse().unwrap_or(i64::MAX);
            one(
                "SELECT complainant_count FROM complaints WHERE number = ?1",
                &[number],
            ) >= n
                && one(
                    "SELECT count(*) FROM complaint_reports r JOIN complaints x ON x.id = r.complaint_id
                     WHERE x.number = ?1",
                    &[number],
                ) >= n - 1
        }
        ["out", contact, number] => {
            let id: i64 = contact.parse().unwrap_or(-1);
            one(
                "SELECT count(*) FROM contacts t JOIN complaints x ON x.id = t.complaint_id
                 WHERE t.id = ?1 AND x.number = ?2 AND x.status IN ('resolved', 'closed')
                   AND EXISTS (SELECT 1 FROM callbacks b WHERE b.complaint_id = x.id)",
                &[&id, number],
            ) == 1
        }
        ["draft", ctx, len] => {
            let len: i64 = len.parse().unwrap_or(-1);
            one(
                "SELECT length(CAST(body AS BLOB)) FROM drafts WHERE context = ?1",
                &[ctx],
            ) == len
        }
        _ => false,
    }
}

fn integrity(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).expect("reopen");
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string())
}

fn percentile(v: &mut [u64], p: f64) -> u64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

// ---------------------------------------------------------------- kill -9

struct KillFigures {
    kills: usize,
    acked: usize,
    /// Acknowledged registrations, duplicates, outcomes, drafts.
    kinds: [usize; 4],
    lost: usize,
    integrity_failures: usize,
}

fn kill9(kills: usize) -> KillFigures {
    let t = TempDb::new();
    t.add_agent("kill", "Kill Nine", "agent");
    let mut rng = Rng::new(0x5EED);
    let mut acked: Vec<String> = Vec::new();
    let mut f = KillFigures {
        kills: 0,
        acked: 0,
        kinds: [0; 4],
        lost: 0,
        integrity_failures: 0,
    };
    for round in 0..kills {
        let window = Duration::from_millis(30 + rng.below(250));
        let mut child;
        let rx;
        if round % 2 == 0 {
            child = spawn_worker(&t.path, "kill", round as u64 + 1, None);
            rx = lines_of(&mut child);
        } else {
            // The real binary: `hotline intake` fed JSON lines without end.
            child = Command::new(BIN)
                .arg("--db")
                .arg(&t.path)
                .arg("intake")
                .env_remove("HOTLINE_DB")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn intake");
            rx = lines_of(&mut child);
            let mut stdin = child.stdin.take().expect("stdin");
            let r = round;
            std::thread::spawn(move || {
                for i in 0.. {
                    let line =
                        complaint_json(&format!("k{r} {i}"), &format!("137{:08}", r * 10_000 + i))
                            + "\n";
                    if stdin.write_all(line.as_bytes()).is_err() {
                        break;
                    }
                }
            });
        }
        let start = Instant::now();
        let mut got = Vec::new();
        while start.elapsed() < window {
            match rx.recv_timeout(window.saturating_sub(start.elapsed())) {
                Ok(l) => got.push(l),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // What was printed before the kill is acknowledged, even if the
        // parent read it a moment later.
        while let Ok(l) = rx.recv_timeout(Duration::from_millis(50)) {
            got.push(l);
        }
        for l in got {
            if let Some(a) = l.strip_prefix("ACK ") {
                acked.push(a.to_string());
            } else if is_number(l.trim()) {
                acked.push(format!("reg {}", l.trim()));
            }
        }
        f.kills += 1;
        if integrity(&t.path) != "ok" {
            f.integrity_failures += 1;
        }
    }
    // Reopened once more through hotline itself (recovery of the WAL).
    let out = t.run(&["check"], "");
    assert!(stdout(&out).contains("integrity: ok"), "{}", stdout(&out));
    let c = t.conn();
    // Later acks may supersede earlier ones (a draft saved again, a
    // duplicate count that grew): each must still hold or be exceeded.
    let mut last_draft: HashMap<String, String> = HashMap::new();
    for a in &acked {
        if let Some(rest) = a.strip_prefix("draft ") {
            let ctx = rest.split(' ').next().unwrap_or("").to_string();
            last_draft.insert(ctx, a.clone());
        }
    }
    for a in &acked {
        f.acked += 1;
        let kind = ["reg ", "dup ", "out ", "draft "]
            .iter()
            .position(|k| a.starts_with(k));
        if let Some(k) = kind {
            f.kinds[k] += 1;
        }
        let ok = match a.strip_prefix("draft ") {
            Some(rest) => {
                let ctx = rest.split(' ').next().unwrap_or("");
                present(&c, last_draft.get(ctx).map_or(a.as_str(), String::as_str))
            }
            None => present(&c, a),
        };
        if !ok {
            f.lost += 1;
            eprintln!("lost: {a}");
        }
    }
    f
}

fn print_kill(f: &KillFigures, cmd: &str) {
    println!("\nkill -9 ({cmd})");
    println!(
        "| kills | records acknowledged | registered / duplicates / outcomes / drafts | records lost | integrity_check failures |"
    );
    println!("| --- | --- | --- | --- | --- |");
    let [r, d, o, w] = f.kinds;
    println!(
        "| {} | {} | {r} / {d} / {o} / {w} | {} (goal 0) | {} |",
        f.kills, f.acked, f.lost, f.integrity_failures
    );
}

#[test]
fn kill9_short() {
    let f = kill9(16);
    print_kill(&f, "short: 16 kills");
    assert!(
        f.kinds.iter().all(|&k| k > 0),
        "every kind of record must be acknowledged at least once: {:?}",
        f.kinds
    );
    assert_eq!(f.lost, 0);
    assert_eq!(f.integrity_failures, 0);
}

#[test]
#[ignore = "long run: cargo test --release --test stress -- --ignored --nocapture"]
fn long_kill9() {
    let n = env_num("STRESS_KILLS", 1000);
    let f = kill9(n);
    print_kill(&f, &format!("{n} kills"));
    assert_eq!(f.lost, 0);
    assert_eq!(f.integrity_failures, 0);
}

// ---------------------------------------------------------- many agents

struct AgentFigures {
    agents: usize,
    seconds: u64,
    ops: u64,
    busy: u64,
    acked: usize,
    lost: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

fn agents(n: usize, seconds: u64) -> AgentFigures {
    let t = TempDb::new();
    for i in 0..n {
        let role = if i % 10 == 0 { "supervisor" } else { "agent" };
        t.add_agent(&format!("a{i}"), &format!("坐席{i}"), role);
    }
    // Something to claim from the start.
    let seed: String = (0..20)
        .map(|i| complaint_json(&format!("seed {i}"), &format!("136{i:08}")) + "\n")
        .collect();
    assert!(t.run(&["intake"], &seed).status.success());
    let mut children: Vec<Child> = (0..n)
        .map(|i| spawn_worker(&t.path, &format!("a{i}"), i as u64 + 1, Some(seconds)))
        .collect();
    let mut f = AgentFigures {
        agents: n,
        seconds,
        ops: 0,
        busy: 0,
        acked: 0,
        lost: 0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        max_ms: 0.0,
    };
    let mut lat = Vec::new();
    let mut acked = Vec::new();
    let readers: Vec<_> = children
        .iter_mut()
        .map(|c| {
            let out = c.stdout.take().expect("stdout");
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = std::io::Read::read_to_string(&mut BufReader::new(out), &mut s);
                s
            })
        })
        .collect();
    for c in &mut children {
        let _ = c.wait();
    }
    for r in readers {
        let text = r.join().unwrap_or_default();
        for l in text.lines() {
            if let Some(a) = l.strip_prefix("ACK ") {
                acked.push(a.to_string());
            } else if let Some(s) = l.strip_prefix("STAT ") {
                let mut p = s.splitn(3, ' ');
                f.ops += p.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                f.busy += p.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                lat.extend(
                    p.next()
                        .unwrap_or("")
                        .split(',')
                        .filter_map(|x| x.parse::<u64>().ok()),
                );
            }
        }
    }
    let c = t.conn();
    // A complaint resolved by one agent may be reported again by another:
    // the contact, not the latest status, is what must not be lost.
    for a in &acked {
        f.acked += 1;
        if !present(&c, a) {
            f.lost += 1;
            eprintln!("lost: {a}");
        }
    }
    f.p50_ms = percentile(&mut lat, 0.50) as f64 / 1000.0;
    f.p99_ms = percentile(&mut lat, 0.99) as f64 / 1000.0;
    f.max_ms = lat.last().copied().unwrap_or(0) as f64 / 1000.0;
    assert_eq!(integrity(&t.path), "ok");
    f
}

fn print_agents(f: &AgentFigures) {
    println!("\nconcurrent agents");
    println!(
        "| processes | seconds | operations | SQLITE_BUSY reaching a user | records acknowledged | records lost | write p50 ms | write p99 ms | write max ms |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {} | {} | {} (goal 0) | {} | {} (goal 0) | {:.1} | {:.1} | {:.1} |",
        f.agents, f.seconds, f.ops, f.busy, f.acked, f.lost, f.p50_ms, f.p99_ms, f.max_ms
    );
}

#[test]
fn agents_short() {
    let f = agents(6, 4);
    print_agents(&f);
    assert!(f.ops > 0 && f.acked > 0, "nothing happened");
    assert_eq!(f.busy, 0);
    assert_eq!(f.lost, 0);
}

#[test]
#[ignore = "long run"]
fn long_agents() {
    let f = agents(
        env_num("STRESS_AGENTS", 200),
        env_num("STRESS_SECONDS", 60) as u64,
    );
    print_agents(&f);
    assert_eq!(f.busy, 0);
    assert_eq!(f.lost, 0);
}

// ---------------------------------------------------------- claim races

/// Races of 2..=8 real `hotline claim` processes on one complaint each;
/// returns (races, processes, races with exactly one winner, database
/// agreeing with the winner).
fn races(n: usize) -> (usize, usize, usize, usize) {
    let t = TempDb::new();
    for i in 0..8 {
        t.add_agent(&format!("c{i}"), &format!("抢{i}"), "agent");
    }
    let input: String = (0..n)
        .map(|i| complaint_json(&format!("race {i}"), &format!("135{i:08}")) + "\n")
        .collect();
    let out = t.run(&["intake"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let numbers: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let mut rng = Rng::new(77);
    let (mut procs, mut one_winner, mut agree) = (0, 0, 0);
    for number in &numbers {
        let k = 2 + rng.below(7) as usize;
        procs += k;
        let mut kids: Vec<(usize, Child)> = (0..k)
            .map(|i| (i, claimer(&t.path, &format!("c{i}"))))
            .collect();
        // Let them open the database and wait on stdin, then release all.
        std::thread::sleep(Duration::from_millis(40 + 10 * k as u64));
        let line = format!("{number}\n");
        let mut inputs: Vec<_> = kids
            .iter_mut()
            .map(|(_, c)| c.stdin.take().expect("stdin"))
            .collect();
        for i in &mut inputs {
            let _ = i.write_all(line.as_bytes());
        }
        drop(inputs);
        let mut winners = Vec::new();
        for (i, c) in kids {
            let o = c.wait_with_output().expect("wait");
            if o.status.success() && stdout(&o).contains("claimed") {
                winners.push(i);
            } else {
                assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
            }
        }
        if winners.len() == 1 {
            one_winner += 1;
            let holder: String = t
                .conn()
                .query_row(
                    "SELECT a.login FROM complaints x JOIN agents a ON a.id = x.assignee_id WHERE x.number = ?1",
                    [number],
                    |r| r.get(0),
                )
                .unwrap_or_default();
            agree += usize::from(holder == format!("c{}", winners[0]));
        }
    }
    (numbers.len(), procs, one_winner, agree)
}

fn print_races(r: (usize, usize, usize, usize)) {
    println!("\nclaim races (R7)");
    println!("| races | processes | exactly one winner | database agrees |");
    println!("| --- | --- | --- | --- |");
    println!("| {} | {} | {} | {} |", r.0, r.1, r.2, r.3);
}

#[test]
fn races_short() {
    let r = races(12);
    print_races(r);
    assert_eq!(r.2, r.0);
    assert_eq!(r.3, r.0);
}

#[test]
#[ignore = "long run"]
fn long_races() {
    let r = races(env_num("STRESS_RACES", 1000));
    print_races(r);
    assert_eq!(r.2, r.0);
    assert_eq!(r.3, r.0);
}

/// A guard that the worker is what the tests think: the role it acts with
/// is the agent's, not an admin's.
#[test]
fn workers_act_as_plain_agents() {
    let t = TempDb::new();
    t.add_agent("w", "W", "agent");
    let mut c = spawn_worker(&t.path, "w", 3, Some(1));
    let rx = lines_of(&mut c);
    let _ = c.wait();
    let lines: Vec<String> = rx.iter().collect();
    assert!(lines.iter().any(|l| l.starts_with("STAT ")), "{lines:?}");
    assert_eq!(
        t.count("SELECT count(*) FROM agents WHERE login = 'w' AND role = 'agent'"),
        1
    );
    let _ = Role::Agent;
}
