//! Shared helpers for integration tests: a temp database made by the real
//! binary, and ways to run the binary against it.
#![allow(dead_code)]
pub mod pty;
pub mod screen;
pub mod ssh;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_hotline");

/// A number from the environment (a benchmark's size, for a quick dry
/// run), else `default`.
pub fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One `kB` line of `/proc/PID/status` (`VmRSS:`, `VmHWM:`), if there.
pub fn status_kb(pid: u32, field: &str) -> Option<f64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    /// A fresh database created with `hotline init` (centre zone Shanghai).
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("hotline.db");
        let out = hotline(&path, &["init", "--timezone", "Asia/Shanghai"], "");
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        TempDb { dir, path }
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        hotline(&self.path, args, stdin)
    }

    pub fn conn(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.path).expect("open");
        c.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy");
        c
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).expect(sql)
    }

    pub fn integrity_ok(&self) -> bool {
        let s: String = self
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity");
        s == "ok"
    }
}

/// The real binary on `db` with stdin, stdout and stderr piped, running.
pub fn spawn_hotline(db: &Path, args: &[&str]) -> std::process::Child {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOTLINE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hotline")
}

/// `hotline --agent LOGIN claim -`: opens the database, checks the agent,
/// then waits for numbers on stdin.
pub fn claimer(db: &Path, login: &str) -> std::process::Child {
    spawn_hotline(db, &["--agent", login, "claim", "-"])
}

pub fn hotline(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = spawn_hotline(db, args);
    if let Some(mut i) = child.stdin.take() {
        // The child may exit early on bad input and close its stdin.
        let _ = i.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait")
}

/// `hotline intake` as a child reading JSON lines from a pipe, for tests
/// that keep feeding it while something else happens.
pub fn spawn_intake(db: &Path) -> std::process::Child {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("intake")
        .env_remove("HOTLINE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn intake")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A valid intake object for a named customer with the given phone.
pub fn complaint_json(subject: &str, phone: &str) -> String {
    format!(
        r#"{{"channel":"phone","category":"service","subject":"{subject}","customer":{{"name":"张三","phone":"{phone}"}}}}"#
    )
}

pub fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 14
        && b[0] == b'C'
        && b[9] == b'-'
        && s[1..9].bytes().all(|c| c.is_ascii_digit())
        && s[10..].bytes().all(|c| c.is_ascii_digit())
}

impl TempDb {
    /// Adds an agent straight into the file (there is no agent CLI yet).
    pub fn add_agent(&self, login: &str, name: &str, role: &str) -> i64 {
        let c = self.conn();
        c.execute(
            "INSERT INTO agents (login, name, role, active, created_at) VALUES (?1, ?2, ?3, 1, 0)",
            rusqlite::params![login, name, role],
        )
        .expect("insert agent");
        c.last_insert_rowid()
    }

    /// Changes one setting, as an administrator's tool would.
    pub fn set_setting(&self, key: &str, value: &str) {
        let n = self
            .conn()
            .execute(
                "UPDATE settings SET value = ?2 WHERE key = ?1",
                rusqlite::params![key, value],
            )
            .expect("update setting");
        assert_eq!(n, 1, "no setting {key}");
    }
}

/// Runs `hotline intake` with one JSON object and returns the printed
/// number with the instant it was read: the number is printed only after
/// the commit returns, so this is when the complaint became visible to
/// other processes (give or take a pipe hop).
pub fn intake_timed(db: &Path, json: &str) -> (String, std::time::Instant) {
    let mut child = spawn_intake(db);
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(json.as_bytes()).expect("write json");
        stdin.write_all(b"\n").expect("write json");
    }
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read number");
    let at = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait intake");
    assert!(out.status.success(), "intake failed: {}", stderr(&out));
    let number = line.trim().to_string();
    assert!(is_number(&number), "{number:?}");
    (number, at)
}
