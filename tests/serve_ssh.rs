//! Issue 9, the built-in SSH server, end to end: `hotline serve --ssh
//! 127.0.0.1:PORT` and the real OpenSSH client (`ssh -tt -i KEY -p PORT`)
//! in a pseudo-terminal. Two agents log in with their keys and see each
//! other's claim at once (R7, R8); a dropped link keeps the note (R18);
//! unknown, removed and inactive agents' keys (R33), commands, forwarding,
//! subsystems, a missing pty and misbehaving peers are refused while the
//! other sessions keep working; SIGTERM saves every draft and gives every
//! terminal back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty;
use common::ssh::*;
use common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn serve(db: &TempDb, port: u16) -> Kill {
    serve_with(db, port, &[])
}

fn serve_with(db: &TempDb, port: u16, env: &[(&str, &str)]) -> Kill {
    let mut server = Command::new(BIN);
    server.envs(env.iter().copied());
    server
        .arg("--db")
        .arg(&db.path)
        .args(["--lang", "en", "serve", "--ssh"])
        .arg(format!("127.0.0.1:{port}"))
        .env("XDG_STATE_HOME", db.dir.path().join("state"))
        .stderr(Stdio::null());
    let k = Kill(server.spawn().unwrap());
    wait_until("the ssh port", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    k
}

fn log_text(db: &TempDb) -> String {
    std::fs::read_to_string(db.dir.path().join("state/hotline/hotline.log")).unwrap_or_default()
}

/// A peer that sends `bytes` (or nothing) is closed by the server within
/// `within`; true when it was.
fn closed_within(port: u16, bytes: &[u8], within: Duration) -> bool {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = s.write_all(bytes);
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let t = Instant::now();
    let mut buf = [0u8; 4096];
    while t.elapsed() < within {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return true,
            Ok(_) => {}
        }
    }
    false
}

fn add(db: &TempDb, login: &str, name: &str, key: &Path) {
    let o = db.run(
        &[
            "agent",
            "add",
            login,
            "--name",
            name,
            "--ssh-key-file",
            &format!("{}.pub", key.display()),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// wang (王芳) and li (李伟), each with a key.
fn two_agents() -> (TempDb, PathBuf, PathBuf, PathBuf) {
    let db = TempDb::new();
    let dir = db.dir.path().to_path_buf();
    let (ka, kb) = (keygen(&dir, "wang_key"), keygen(&dir, "li_key"));
    add(&db, "wang", "王芳", &ka);
    add(&db, "li", "李伟", &kb);
    (db, dir, ka, kb)
}

#[test]
fn issue9_agents_log_in_to_the_built_in_ssh_server_with_their_keys() {
    let db = TempDb::new();
    let dir = db.dir.path().to_path_buf();
    let (ka, kb, kc, kd) = (
        keygen(&dir, "wang_key"),
        keygen(&dir, "li_key"),
        keygen(&dir, "stranger_key"),
        keygen(&dir, "gone_key"),
    );
    add(&db, "wang", "王芳", &ka);
    add(&db, "li", "李伟", &kb);
    add(&db, "gone", "赵六", &kd);
    let o = db.run(&["agent", "leave", "gone", "--to", "wang"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = db.run(
        &["intake"],
        &complaint_json("Broadband down since Monday", "13812345678"),
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let port = free_port();
    let mut server = serve(&db, port);
    // The host key: created on the first start, the service account's only.
    let host_key = dir.join("ssh_host_ed25519_key");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&host_key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let key_text = std::fs::read_to_string(&host_key).unwrap();

    // A peer that never says hello is closed after 10 s; it runs beside
    // everything else.
    let silent = std::thread::spawn(move || closed_within(port, b"", Duration::from_secs(16)));
    // One that stops in the middle of the handshake is closed when its
    // 30 s to log in are up.
    let stalled = std::thread::spawn(move || {
        closed_within(
            port,
            b"SSH-2.0-x\r\n\x00\x00\x00\xff\xff",
            Duration::from_secs(45),
        )
    });

    // The SSH user name is nobody's business: the key says who it is.
    let a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang's queue", WAIT, |s| {
        s.contains("王芳 (agent)") && s.contains("Broadband")
    });
    assert!(a.alternate_screen(), "the TUI runs on the alternate screen");
    let b = ssh_pty(&dir.join("home_b"), &kb, port, &[]);
    b.wait_for("li's queue", WAIT, |s| {
        s.contains("李伟 (agent)") && s.contains("Broadband")
    });

    let mut a = a;
    a_claims_b_sees(&mut a, &b, "王芳");

    // The window changes size: the header is laid out again for 80
    // columns. At 100 its right end (the agent) sat past column 80, so
    // only a new frame brings it back into view.
    let before = a.screen_text();
    let first = before.lines().next().unwrap();
    assert!(first.find("王芳").unwrap() > 80, "{first}");
    a.resize(80, 24);
    a.wait_for("A laid out for 80 columns", WAIT, |s| {
        s.lines().next().is_some_and(|l| l.contains("王芳 (agent)"))
    });

    // R18: A's ssh is killed in the middle of a Chinese note; the server
    // keeps the draft and A's next login gets it back.
    a.send_keys(b"p");
    a.wait_for("A's call screen", WAIT, |s| s.contains("Call C2026"));
    a.send_keys(b"e");
    a.send_keys("客户说断网三天 link dropped".as_bytes());
    a.wait_for("the typed note", WAIT, |s| {
        s.contains("客户说断网三天 link dropped")
    });
    pty::signal(a.pid(), "KILL");
    a.wait_exit(Duration::from_secs(5));
    let draft = |who: &str| {
        db.conn()
            .query_row(
                "SELECT d.body FROM drafts d JOIN agents a ON a.id = d.agent_id WHERE a.login = ?1",
                [who],
                |r| r.get::<_, String>(0),
            )
            .ok()
    };
    wait_until("the draft saved by the server", || {
        draft("wang").as_deref() == Some("客户说断网三天 link dropped")
    });
    let mut a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang's queue again", WAIT, |s| {
        s.contains("王芳 (agent)") && s.contains("Broadband")
    });
    a.send_keys(b"p");
    a.wait_for("the restored note", WAIT, |s| {
        s.contains("draft restored") && s.contains("客户说断网三天 link dropped")
    });
    a.send_keys(b"\x1b");
    drop(a);

    // Refusals, each with what a person reads.
    let (ok, text) = ssh_plain(&kc, port, &[]);
    assert!(
        !ok && text.contains("Permission denied"),
        "unknown key: {text}"
    );
    // Passwords and keyboard-interactive are not even offered.
    let (ok, text) = ssh_plain(
        &ka,
        port,
        &[
            "-o",
            "PreferredAuthentications=password,keyboard-interactive",
        ],
    );
    assert!(
        !ok && text.contains("Permission denied (publickey)"),
        "password: {text}"
    );
    let g = ssh_pty(&dir.join("home_g"), &kd, port, &[]);
    g.wait_for("the inactive agent told so", WAIT, |s| {
        s.contains("agent gone is inactive")
    });
    let marker = dir.join("ran");
    let (ok, _) = ssh_plain(&ka, port, &["touch", &marker.display().to_string()]);
    assert!(!ok, "a command over ssh must not succeed");
    assert!(!marker.exists(), "ssh host COMMAND ran the command");
    let (ok, text) = ssh_plain(&ka, port, &["-s", "sftp"]);
    assert!(!ok, "a subsystem must be refused: {text}");
    let (ok, text) = ssh_plain(&ka, port, &["-T"]);
    assert!(
        !ok && text.contains("a terminal is needed"),
        "no pty: {text}"
    );
    assert!(forwarding_refused(&ka, port), "ssh -L forwarded a port");
    let fp = stdout(&db.run(&["agent", "key", "list", "li"], ""));
    let fp = fp.split_whitespace().next().unwrap().to_string();
    let o = db.run(&["agent", "key", "remove", "li", &fp], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let (ok, text) = ssh_plain(&kb, port, &[]);
    assert!(
        !ok && text.contains("Permission denied"),
        "removed key: {text}"
    );

    // Bad peers: garbage, a broken handshake, 1,000 connections in a row.
    assert!(closed_within(
        port,
        b"GET / HTTP/1.0\r\n\r\n",
        Duration::from_secs(5)
    ));
    // One that hangs up half-way through the handshake.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"SSH-2.0-x\r\n\x00\x00\x01").unwrap();
    drop(s);
    for _ in 0..1000 {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"SSH-2.0-flood\r\n");
        }
    }
    assert!(silent.join().unwrap(), "a silent peer was never closed");
    assert!(
        stalled.join().unwrap(),
        "a stalled handshake was never closed"
    );
    // B, logged in all along, still works and sees an outside intake.
    let out = db.run(
        &["intake"],
        &complaint_json("Invoice charged twice after flood", "13900001111"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut b = b;
    b.wait_for("the outside intake on B", WAIT, |s| {
        s.contains("2 items") && s.contains("139****1111")
    });

    // SIGTERM: B's note is saved, B's terminal is given back with a word.
    b.send_keys(b"j");
    b.send_keys(b"c");
    // The claim is told, and then the row shows it (the queue reloads).
    b.wait_for("B's claim", WAIT, |s| {
        s.contains("Claimed")
            && s.lines()
                .any(|l| l.contains("139****1111") && l.contains("李伟"))
    });
    b.send_keys(b"p");
    b.wait_for("B's call screen", WAIT, |s| s.contains("Call C2026"));
    b.send_keys(b"e");
    b.send_keys("服务器要重启了".as_bytes());
    b.wait_for("B's note", WAIT, |s| s.contains("服务器要重启了"));
    pty::signal(server.0.id(), "TERM");
    let _ = server.0.wait();
    b.wait_for("the farewell", WAIT, |s| s.contains("session has ended"));
    assert!(
        !b.alternate_screen(),
        "B's terminal left the alternate screen"
    );
    assert_eq!(draft("li").as_deref(), Some("服务器要重启了"));
    let log = log_text(&db);
    for line in [
        "login (ssh) agent=wang",
        "logout agent=li",
        "ssh login refused: unknown key",
        "ssh exec refused",
        "no greeting",
        "ssh port forwarding",
        "ssh subsystem refused",
    ] {
        assert!(log.contains(line), "log lacks {line:?}:\n{log}");
    }

    // A restart keeps the host key (agents' known_hosts stay valid).
    let _server = serve(&db, port);
    assert_eq!(std::fs::read_to_string(&host_key).unwrap(), key_text);
}

/// A panic in one session ends that session with a message and gives its
/// terminal back; the server and the other sessions go on.
#[test]
fn issue9_a_session_that_panics_ends_alone() {
    let (db, dir, ka, kb) = two_agents();
    let port = free_port();
    let mut server = serve_with(&db, port, &[("HOTLINE_TEST_PANIC", "wang")]);
    let b = ssh_pty(&dir.join("home_b"), &kb, port, &[]);
    b.wait_for("li's queue", WAIT, |s| s.contains("李伟 (agent)"));
    let mut a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang told", WAIT, |s| {
        s.contains("internal error; log in again")
    });
    assert!(!a.alternate_screen(), "wang's terminal was given back");
    assert!(!a.wait_exit(Duration::from_secs(10)).success());
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server died with the session"
    );
    let out = db.run(
        &["intake"],
        &complaint_json("After the panic", "13800001111"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    b.wait_for("li still served", WAIT, |s| s.contains("1 items"));
}

/// 100 MB of input that never makes a key (a paste that never ends) closes
/// that session when 256 KiB have come without one; another agent's
/// session answers all the while and the server's memory stays small.
#[test]
fn issue9_a_flood_of_input_closes_only_its_own_session() {
    let (db, dir, ka, kb) = two_agents();
    let port = free_port();
    let server = serve(&db, port);
    let b = ssh_pty(&dir.join("home_b"), &kb, port, &[]);
    b.wait_for("li's queue", WAIT, |s| s.contains("李伟 (agent)"));
    let args: Vec<String> = ssh_args(&ka, port);
    let t = Instant::now();
    let flood = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "(printf '\\033[200~'; head -c 100000000 /dev/zero | tr '\\0' x) | ssh -tt {} 2>&1",
            args.join(" ")
        ))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = flood.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "the flood ran for {:?}",
        t.elapsed()
    );
    assert!(text.contains("session has ended"), "{text}");
    let rss_kb = status_kb(server.0.id(), "VmHWM:").unwrap();
    assert!(rss_kb < 200_000.0, "the server grew to {rss_kb} kB");
    let out = db.run(
        &["intake"],
        &complaint_json("After the flood", "13800001111"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    b.wait_for("li still served", WAIT, |s| s.contains("1 items"));
    assert!(log_text(&db).contains("input without end"));
}

/// An agent who leaves while logged in (R33: their work handed over) is
/// logged out at once, with their note kept; their key no longer opens.
#[test]
fn r33_an_agent_who_leaves_while_logged_in_is_logged_out() {
    let (db, dir, ka, kb) = two_agents();
    let port = free_port();
    let _server = serve(&db, port);
    let mut a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang's queue", WAIT, |s| s.contains("王芳 (agent)"));
    let b = ssh_pty(&dir.join("home_b"), &kb, port, &[]);
    b.wait_for("li's queue", WAIT, |s| s.contains("李伟 (agent)"));
    let o = db.run(&["agent", "leave", "wang", "--to", "li"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    a.wait_for("wang logged out", WAIT, |s| s.contains("session has ended"));
    assert!(!a.alternate_screen(), "wang's terminal was given back");
    a.wait_exit(Duration::from_secs(10));
    let again = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    again.wait_for("wang refused", WAIT, |s| {
        s.contains("agent wang is inactive")
    });
    // li goes on.
    let out = db.run(
        &["intake"],
        &complaint_json("After wang left", "13800001111"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    b.wait_for("li still served", WAIT, |s| s.contains("1 items"));
}
