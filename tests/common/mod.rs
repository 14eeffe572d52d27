//! Shared helpers for integration tests: a temp database made by the real
//! binary, and ways to run the binary against it.
#![allow(dead_code)]
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_hotline");

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

pub fn hotline(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOTLINE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hotline");
    if let Some(mut i) = child.stdin.take() {
        // The child may exit early on bad input and close its stdin.
        let _ = i.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait")
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
