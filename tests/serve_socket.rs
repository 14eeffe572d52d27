//! Issue 9, bad peers of `hotline serve`: garbage, an unknown or inactive
//! agent, a line too long, a burst of connections that close at once.
//! Each is refused or closed, and a real agent's session (the real
//! `hotline attach` in a pseudo-terminal) keeps working throughout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty::{self, Pty};
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// Reads until the server closes; true when it did within the time.
fn closed_within(s: &mut UnixStream, t: Duration) -> bool {
    s.set_read_timeout(Some(t)).unwrap();
    let mut buf = [0u8; 4096];
    let start = Instant::now();
    while start.elapsed() < t {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return true,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

fn welcome(sock: &PathBuf, hello: &str) -> String {
    let mut s = UnixStream::connect(sock).unwrap();
    s.write_all(hello.as_bytes()).unwrap();
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).unwrap();
    line
}

#[test]
fn issue9_bad_peers_are_refused_and_the_other_sessions_keep_working() {
    let db = TempDb::new();
    db.add_agent("wang", "王芳", "agent");
    db.add_agent("gone", "赵六", "agent");
    assert!(
        db.run(&["agent", "leave", "gone", "--to", "wang"], "")
            .status
            .success()
    );
    let dir = db.dir.path().to_path_buf();
    let mut server = Command::new(BIN)
        .arg("--db")
        .arg(&db.path)
        .args(["--lang", "en", "serve"])
        .env("XDG_STATE_HOME", dir.join("state"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let sock = PathBuf::from(format!("{}.sock", db.path.display()));
    let t = Instant::now();
    while !sock.exists() {
        assert!(t.elapsed() < WAIT, "no socket");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A second server on the same socket is refused, the first untouched.
    let second = db.run(&["serve"], "");
    assert!(!second.status.success());
    assert!(
        stderr(&second).contains("already listening"),
        "{}",
        stderr(&second)
    );

    // The real client, in a terminal, for the agent who keeps working.
    let mut cmd = pty::command(BIN, &dir.join("home"));
    cmd.args([
        "--db",
        &db.path.display().to_string(),
        "--lang",
        "en",
        "attach",
        "--agent",
        "wang",
    ]);
    let mut a = Pty::spawn(cmd, 100, 30);
    a.wait_for("wang's queue", WAIT, |s| s.contains("王芳 (agent)"));

    // Unknown and inactive agents get a reason, then the door closes.
    let w = welcome(
        &sock,
        "{\"agent\":\"nobody\",\"lang\":null,\"cols\":80,\"rows\":24}\n",
    );
    assert!(w.contains("no agent"), "{w}");
    let w = welcome(
        &sock,
        "{\"agent\":\"gone\",\"lang\":null,\"cols\":80,\"rows\":24}\n",
    );
    assert!(w.contains("inactive"), "{w}");
    // A login that is no login (an escape sequence in it) is refused.
    let w = welcome(
        &sock,
        "{\"agent\":\"wang\\u001b[2J\",\"lang\":null,\"cols\":80,\"rows\":24}\n",
    );
    assert!(w.contains("login"), "{w}");
    // Garbage instead of a greeting: closed without an answer.
    let mut s = UnixStream::connect(&sock).unwrap();
    s.write_all(b"\x00\xff garbage \x1b[31m\n").unwrap();
    assert!(closed_within(&mut s, Duration::from_secs(5)));
    // A session that then sends one line of 1 MB with no end: closed.
    let mut s = UnixStream::connect(&sock).unwrap();
    s.write_all(b"{\"agent\":\"wang\",\"lang\":null,\"cols\":80,\"rows\":24}\n")
        .unwrap();
    let flood = vec![b'x'; 1 << 20];
    let _ = s.write_all(&flood);
    assert!(
        closed_within(&mut s, Duration::from_secs(10)),
        "an endless line must end the session"
    );
    // 300 connections that close at once.
    for _ in 0..300 {
        drop(UnixStream::connect(&sock).unwrap());
    }

    // Through all of it the real session kept working: a complaint taken
    // in by another process reaches its screen (R8).
    let out = db.run(
        &["intake"],
        &complaint_json("Still working after the flood", "13800138000"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    a.wait_for("the new complaint on wang's screen", WAIT, |s| {
        s.contains("Still working after")
    });
    a.send_keys(b"q");
    a.wait_exit(Duration::from_secs(10));
    let _ = server.kill();
    let _ = server.wait();
}
