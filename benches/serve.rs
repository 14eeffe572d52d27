//! The server benchmark (issue 9): `cargo bench --bench serve`.
//!
//! `hotline serve --ssh` on a database of `HOTLINE_BENCH_CUSTOMERS`
//! (default 1,000,000) demo customers and no other complaints than the
//! bench's own, with `HOTLINE_BENCH_SESSIONS` (default 200) SSH sessions
//! over loopback, each a russh client with a 100x30 terminal kept by a
//! vt100 parser (the clients run in this process, on the same 2 cores).
//! Measured in one run:
//!   * connect → first frame, p50/p99, all sessions logging in at once (the
//!     9 o'clock wave);
//!   * the server's resident memory with every session open;
//!   * its CPU with every session idle for 10 s;
//!   * a change from outside (`hotline intake`, timed from the process's
//!     start) and a change made in a session (a claim key) until every
//!     screen shows it, p50/p99 over `HOTLINE_BENCH_ROUNDS` (default 5)
//!     rounds × every session;
//!   * search keystroke latency (key sent → the screen shows the answered
//!     query) with 20 sessions typing at once, 10 keys a second each
//!     (`HOTLINE_BENCH_TYPISTS`, `HOTLINE_BENCH_TYPE_MS`).
//!
//! Beside it, the same figures for separate `hotline` processes, measured
//! on one TUI process in a pseudo-terminal and multiplied by the session
//! count where that is what 200 of them would take (memory, idle CPU).
//! The database is made once at `HOTLINE_BENCH_SERVE_DB` (default
//! `/tmp/hotline-bench-serve.db`) with its agents and their keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::pty::Pty;
use common::{BIN, knob, stderr};
use russh::ChannelMsg;
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use tokio::sync::mpsc;

const COLS: u16 = 100;
const ROWS: u16 = 30;

fn pct(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn hotline(db: &Path, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut c = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = c.wait_with_output().unwrap();
    assert!(out.status.success(), "hotline {args:?}: {}", stderr(&out));
}

fn login(i: usize) -> String {
    format!("bench{i:03}")
}

fn key_path(db: &Path, i: usize) -> PathBuf {
    db.with_extension(format!("key{i:03}"))
}

/// The database with its customers and `sessions` agents, each with a key.
fn ensure_db(db: &Path, customers: u64, sessions: usize) {
    if !db.exists() {
        eprintln!("seeding {customers} customers into {} ...", db.display());
        hotline(db, &["init"], "");
        let n = customers.to_string();
        hotline(
            db,
            &["seed-demo", "--customers", &n, "--complaints", "0"],
            "",
        );
    }
    let c = rusqlite::Connection::open(db).unwrap();
    for i in 0..sessions {
        let have: i64 = c
            .query_row(
                "SELECT count(*) FROM agents WHERE login = ?1",
                [login(i)],
                |r| r.get(0),
            )
            .unwrap();
        if have == 1 && key_path(db, i).exists() {
            continue;
        }
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let text = key
            .to_openssh(russh::keys::ssh_key::LineEnding::LF)
            .unwrap();
        std::fs::write(key_path(db, i), text.as_bytes()).unwrap();
        let public = key.public_key().to_openssh().unwrap();
        let name = format!("Bench {i:03}");
        hotline(
            db,
            &[
                "agent",
                "add",
                &login(i),
                "--name",
                &name,
                "--ssh-key",
                &public,
            ],
            "",
        );
    }
    // Earlier runs' complaints go; the bench's rounds add their own.
    c.execute_batch(
        "UPDATE complaints SET status = 'closed', closed_at = strftime('%s','now') WHERE status <> 'closed'",
    )
    .unwrap();
}

/// What a session waits to see: a line holding all of `all`, or (for a
/// key typed into the search) a query line whose query begins with
/// `typed` — a frame may answer two keys at once.
struct Want {
    all: Vec<String>,
    typed: Option<String>,
    since: Instant,
    found: mpsc::UnboundedSender<f64>,
}

impl Want {
    fn met(&self, screen: &str) -> bool {
        if let Some(t) = &self.typed {
            return screen.lines().any(|l| {
                l.strip_prefix("/ ")
                    .and_then(|q| q.split("  ").next())
                    .is_some_and(|q| q.starts_with(t.as_str()))
            });
        }
        screen
            .lines()
            .any(|l| self.all.iter().all(|w| l.contains(w.as_str())))
    }
}

/// The bench's side of one session.
struct Session {
    keys: mpsc::UnboundedSender<Vec<u8>>,
    wants: Arc<Mutex<Vec<Want>>>,
    screen: Arc<Mutex<String>>,
}

impl Session {
    fn want(&self, all: &[&str], since: Instant, found: &mpsc::UnboundedSender<f64>) {
        self.wait(all, None, since, found);
    }

    fn wait(
        &self,
        all: &[&str],
        typed: Option<String>,
        since: Instant,
        found: &mpsc::UnboundedSender<f64>,
    ) {
        let w = Want {
            all: all.iter().map(ToString::to_string).collect(),
            typed,
            since,
            found: found.clone(),
        };
        // Already on screen: met now.
        if w.met(&self.screen.lock().unwrap()) {
            let _ = found.send(w.since.elapsed().as_secs_f64() * 1000.0);
            return;
        }
        self.wants.lock().unwrap().push(w);
    }
}

struct Client;
impl russh::client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Logs in as agent `i`; `first` gets the ms from connect to the first
/// frame that shows the queue.
async fn connect(port: u16, key: PrivateKey, first: mpsc::UnboundedSender<f64>) -> Session {
    let t = Instant::now();
    let config = Arc::new(russh::client::Config::default());
    let mut h = russh::client::connect(config, ("127.0.0.1", port), Client)
        .await
        .unwrap();
    let auth = h
        .authenticate_publickey("agent", PrivateKeyWithHashAlg::new(Arc::new(key), None))
        .await
        .unwrap();
    assert!(auth.success(), "the bench key was refused");
    let mut ch = h.channel_open_session().await.unwrap();
    ch.request_pty(
        false,
        "xterm-256color",
        u32::from(COLS),
        u32::from(ROWS),
        0,
        0,
        &[],
    )
    .await
    .unwrap();
    ch.request_shell(false).await.unwrap();
    let (keys, mut key_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let wants: Arc<Mutex<Vec<Want>>> = Arc::default();
    let screen: Arc<Mutex<String>> = Arc::default();
    let s = Session {
        keys,
        wants: wants.clone(),
        screen: screen.clone(),
    };
    tokio::spawn(async move {
        let _h = h;
        let mut vt = vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0);
        let mut first = Some(first);
        loop {
            tokio::select! {
                msg = ch.wait() => match msg {
                    Some(ChannelMsg::Data { data }) => {
                        vt.process(&data);
                        let text = vt.screen().contents();
                        if first.is_some() && text.contains("items") {
                            let _ = first.take().unwrap().send(t.elapsed().as_secs_f64() * 1000.0);
                        }
                        wants.lock().unwrap().retain(|w| {
                            if w.met(&text) {
                                let _ = w.found.send(w.since.elapsed().as_secs_f64() * 1000.0);
                                false
                            } else {
                                true
                            }
                        });
                        *screen.lock().unwrap() = text;
                    }
                    Some(_) => {}
                    None => return,
                },
                k = key_rx.recv() => match k {
                    Some(k) => { let _ = ch.data_bytes(k).await; }
                    None => return,
                },
            }
        }
    });
    s
}

async fn collect(rx: &mut mpsc::UnboundedReceiver<f64>, n: usize, what: &str) -> Vec<f64> {
    let mut v = Vec::with_capacity(n);
    while v.len() < n {
        match tokio::time::timeout(Duration::from_secs(120), rx.recv()).await {
            Ok(Some(x)) => v.push(x),
            _ => panic!("{what}: only {} of {n} screens answered", v.len()),
        }
    }
    v
}

fn proc_stat(pid: u32) -> (f64, f64) {
    let rss = common::status_kb(pid, "VmRSS:").unwrap_or(f64::NAN) / 1024.0;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15, 12 and 13 after the name.
    let cpu = (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0;
    (rss, cpu)
}

fn idle_cpu_pct(pid: u32, secs: u64) -> f64 {
    let (_, a) = proc_stat(pid);
    std::thread::sleep(Duration::from_secs(secs));
    let (_, b) = proc_stat(pid);
    (b - a) / secs as f64 * 100.0
}

struct Serve(Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

/// One separate `hotline` TUI process: ms to the first queue frame, its
/// resident MB once its index is in, and its idle CPU %.
fn one_process(db: &Path) -> (f64, f64, f64) {
    let t = Instant::now();
    let mut pty = Pty::hotline(db, &login(0), &[], COLS, ROWS);
    let (_, at) = pty.wait_for("the queue", Duration::from_secs(120), |s| {
        s.contains("items")
    });
    let first = at.duration_since(t).as_secs_f64() * 1000.0;
    pty.send_keys(b"/zhangwei");
    pty.wait_for("search results", Duration::from_secs(300), |s| {
        s.contains("张伟")
    });
    pty.send_keys(b"\x1b");
    std::thread::sleep(Duration::from_secs(1));
    let (rss, _) = proc_stat(pty.pid());
    let cpu = idle_cpu_pct(pty.pid(), 10);
    pty.send_keys(b"q");
    let _ = pty.wait_exit(Duration::from_secs(30));
    (first, rss, cpu)
}

fn main() {
    let customers = knob("HOTLINE_BENCH_CUSTOMERS", 1_000_000);
    let n = knob("HOTLINE_BENCH_SESSIONS", 200) as usize;
    let rounds = knob("HOTLINE_BENCH_ROUNDS", 5) as usize;
    let typists_n = knob("HOTLINE_BENCH_TYPISTS", 20) as usize;
    // Milliseconds between one typist's keys (100: a fast typist).
    let type_ms = knob("HOTLINE_BENCH_TYPE_MS", 100);
    let db = PathBuf::from(
        std::env::var("HOTLINE_BENCH_SERVE_DB")
            .unwrap_or_else(|_| "/tmp/hotline-bench-serve.db".into()),
    );
    ensure_db(&db, customers, n.max(rounds + typists_n));
    let keys: Vec<PrivateKey> = (0..n)
        .map(|i| {
            PrivateKey::from_openssh(std::fs::read_to_string(key_path(&db, i)).unwrap()).unwrap()
        })
        .collect();

    // The baseline first, while nothing else runs.
    eprintln!("one separate hotline process ...");
    let (p_first, p_rss, p_cpu) = one_process(&db);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = Instant::now();
    let server = Serve(
        Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["--lang", "en", "serve", "--ssh"])
            .arg(format!("127.0.0.1:{port}"))
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = server.0.id();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt.block_on(async {
        eprintln!("{n} sessions logging in at once ...");
        let (ftx, mut frx) = mpsc::unbounded_channel();
        let mut joins = Vec::new();
        for k in keys {
            joins.push(tokio::spawn(connect(port, k, ftx.clone())));
        }
        let mut sessions = Vec::new();
        for j in joins {
            sessions.push(j.await.unwrap());
        }
        let first = collect(&mut frx, n, "first frames").await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (rss, _) = proc_stat(pid);
        eprintln!("idle for 10 s ...");
        let idle = tokio::task::spawn_blocking(move || idle_cpu_pct(pid, 10))
            .await
            .unwrap();

        eprintln!("{rounds} rounds of changes ...");
        let (ctx, mut crx) = mpsc::unbounded_channel();
        let (mut outside, mut inside) = (Vec::new(), Vec::new());
        for r in 0..rounds {
            let phone = format!("1390000{r:04}");
            let masked = format!("139****{r:04}");
            let since = Instant::now();
            for s in &sessions {
                s.want(&[&masked], since, &ctx);
            }
            let db2 = db.clone();
            let body = common::complaint_json(&format!("bench round {r}"), &phone);
            tokio::task::spawn_blocking(move || hotline(&db2, &["intake"], &body))
                .await
                .unwrap();
            outside.extend(collect(&mut crx, n, "an outside change").await);
            // Session r moves to the new row (rows come in arrival order:
            // same severity, later due) and claims it.
            let name = format!("Bench {r:03}");
            let claimer = &sessions[r];
            claimer.keys.send(vec![b'j'; r]).unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
            let since = Instant::now();
            for s in &sessions {
                s.want(&[&masked, &name], since, &ctx);
            }
            claimer.keys.send(b"c".to_vec()).unwrap();
            inside.extend(collect(&mut crx, n, "a claim").await);
        }

        eprintln!("{typists_n} sessions typing a search at once ...");
        let typists = &sessions[rounds..rounds + typists_n];
        for s in typists {
            s.keys.send(b"/".to_vec()).unwrap();
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let words = [
            "zhangwei", "wangfang", "liuyang", "chenjing", "13812", "lina", "zhaolei", "huang",
        ];
        let (ktx, mut krx) = mpsc::unbounded_channel();
        let mut sent = 0;
        // The typists are not in lockstep: within each key's interval they
        // take their turns spread out, as people at different desks do.
        let gap = Duration::from_millis(type_ms) / u32::try_from(typists.len().max(1)).unwrap_or(1);
        for rep in 0..3 {
            for s in typists {
                s.keys.send(b"\x15".to_vec()).unwrap();
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            for step in 0..8 {
                for (i, s) in typists.iter().enumerate() {
                    let w = words[(i + rep) % words.len()];
                    let Some(c) = w.chars().nth(step) else {
                        tokio::time::sleep(gap).await;
                        continue;
                    };
                    let typed: String = w.chars().take(step + 1).collect();
                    // The query line shows what was typed, with its answer
                    // drawn in the same frame.
                    s.wait(&[], Some(typed), Instant::now(), &ktx);
                    s.keys.send(c.to_string().into_bytes()).unwrap();
                    sent += 1;
                    tokio::time::sleep(gap).await;
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let typing = collect(&mut krx, sent, "search keystrokes").await;
        (first, rss, idle, outside, inside, typing)
    });
    let (first, rss, idle, outside, inside, typing) = r;
    drop(server);

    let ms = |v: &[f64]| format!("{:.0} / {:.0} ms", pct(v, 0.5), pct(v, 0.99));
    println!(
        "\nhotline serve: {n} SSH sessions, {customers} customers, this machine ({} cores)",
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
    println!("| figure | one server, {n} sessions | {n} separate processes | goal |");
    println!("|---|---|---|---|");
    println!(
        "| resident memory | {rss:.0} MB | {:.0} MB ({p_rss:.0} MB × {n}) | ≤ 1 GB |",
        p_rss * n as f64
    );
    println!(
        "| connect → first frame p50 / p99 | {} | {p_first:.0} ms (one process, nothing else running) | |",
        ms(&first)
    );
    println!(
        "| idle CPU, all sessions idle | {idle:.2} % of a core | {:.1} % ({p_cpu:.2} % × {n}) | ≤ 2 % |",
        p_cpu * n as f64
    );
    println!(
        "| change in a session → every screen p50 / p99 | {} | (each process polls on its own) | p99 ≤ 100 ms |",
        ms(&inside)
    );
    println!(
        "| outside `hotline intake` → every screen p50 / p99 | {} | | p99 ≤ 300 ms |",
        ms(&outside)
    );
    println!(
        "| search keystroke, {typists_n} typing at once (a key each {type_ms} ms), p50 / p99 | {} | | p99 ≤ 50 ms |",
        ms(&typing)
    );
    println!(
        "samples: {} first frames, {} + {} screens over {rounds} rounds, {} keystrokes",
        first.len(),
        outside.len(),
        inside.len(),
        typing.len()
    );
}
