//! Issue 9, OpenSSH mode, end to end: a real `sshd` on 127.0.0.1 whose
//! `AuthorizedKeysCommand` is `hotline keys`, the real `ssh -tt` client in
//! a pseudo-terminal, and `hotline serve` hosting the sessions. Two agents
//! log in with their keys and see each other's claim at once (R7, R8); a
//! wrong key, a removed key and an inactive agent are refused (R33); no
//! SSH command line runs anything else or becomes another agent.
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

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const SSHD: &str = "/usr/sbin/sshd";

/// sshd runs an `AuthorizedKeysCommand` only when the program and every
/// directory above it are root's and not writable by group or others. A
/// checkout under such a directory is used as it is; otherwise the binary
/// is copied to a fresh 0755 directory under /opt, which the test removes
/// at its end.
fn sshd_safe_bin() -> PathBuf {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let bin = std::fs::canonicalize(BIN).unwrap();
    let safe = bin
        .ancestors()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.uid() == 0 && m.mode() & 0o022 == 0));
    if safe {
        return bin;
    }
    let dir = PathBuf::from(format!("/opt/hotline-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = dir.join("hotline");
    std::fs::copy(&bin, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
    COPIED.with(|c| *c.borrow_mut() = Some(dir));
    copy
}

thread_local! {
    static COPIED: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

fn start_sshd(dir: &Path, db: &Path, port: u16) -> Kill {
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} missing: .ci/run installs openssh-server"
    );
    std::fs::create_dir_all("/run/sshd").unwrap();
    let host = keygen(dir, "host_key");
    let bin = sshd_safe_bin();
    let cfg = dir.join("sshd_config");
    std::fs::write(
        &cfg,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile none\nUsePAM no\n\
             StrictModes no\nPermitRootLogin prohibit-password\nAuthorizedKeysFile none\n\
             AuthorizedKeysCommand {} --db {} keys %t %k\nAuthorizedKeysCommandUser root\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             AllowTcpForwarding yes\nX11Forwarding no\nLogLevel VERBOSE\n",
            host.display(),
            bin.display(),
            db.display()
        ),
    )
    .unwrap();
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&cfg)
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .unwrap();
    let k = Kill(child);
    wait_until("sshd to listen", || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    k
}

#[test]
fn issue9_agents_log_in_with_their_keys_through_sshd_and_share_one_server() {
    let db = TempDb::new();
    let dir = db.dir.path().to_path_buf();
    let (ka, kb, kc, kd) = (
        keygen(&dir, "wang_key"),
        keygen(&dir, "li_key"),
        keygen(&dir, "stranger_key"),
        keygen(&dir, "gone_key"),
    );
    let pubfile = |k: &Path| format!("{}.pub", k.display());
    let add = |login: &str, name: &str, key: &Path| {
        let o = db.run(
            &[
                "agent",
                "add",
                login,
                "--name",
                name,
                "--ssh-key-file",
                &pubfile(key),
            ],
            "",
        );
        assert!(o.status.success(), "{}", stderr(&o));
    };
    add("wang", "王芳", &ka);
    add("li", "李伟", &kb);
    add("gone", "赵六", &kd);
    // A key another agent holds is refused, naming the holder.
    let o = db.run(&["agent", "key", "add", "li", "--file", &pubfile(&ka)], "");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("wang"), "{}", stderr(&o));
    let o = db.run(&["agent", "leave", "gone", "--to", "wang"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = db.run(
        &["intake"],
        &complaint_json("Broadband down since Monday", "13812345678"),
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut server = Command::new(BIN);
    server
        .arg("--db")
        .arg(&db.path)
        .args(["--lang", "en", "serve"])
        .env("XDG_STATE_HOME", dir.join("state"))
        .stderr(Stdio::null());
    let _server = Kill(server.spawn().unwrap());
    let sock = PathBuf::from(format!("{}.sock", db.path.display()));
    wait_until("the server socket", || sock.exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&sock).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the socket is the service account's only");

    let port = free_port();
    let _sshd = start_sshd(&dir, &db.path, port);

    let a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang's queue", WAIT, |s| {
        s.contains("王芳 (agent)") && s.contains("Broadband")
    });
    // Whatever the client asks to run, the forced command attaches the
    // key's agent: `--agent li` on the command line changes nothing.
    let b = ssh_pty(
        &dir.join("home_b"),
        &kb,
        port,
        &["hotline", "--agent", "wang"],
    );
    b.wait_for("li's queue", WAIT, |s| {
        s.contains("李伟 (agent)") && s.contains("Broadband")
    });

    let mut a = a;
    a_claims_b_sees(&mut a, &b, "王芳");
    assert_eq!(
        db.count("SELECT count(*) FROM complaints c JOIN agents a ON a.id = c.assignee_id WHERE a.login = 'wang'"),
        1
    );

    // R18 over the server: A's ssh is killed in the middle of a note, with
    // no pause after the last key; the server's session saves the draft,
    // and A's next login gets it back.
    a.send_keys(b"p");
    a.wait_for("A's call screen", WAIT, |s| s.contains("Call C2026"));
    a.send_keys(b"e");
    a.send_keys("客户说断网三天 link dropped".as_bytes());
    a.wait_for("the typed note", WAIT, |s| {
        s.contains("客户说断网三天 link dropped")
    });
    pty::signal(a.pid(), "KILL");
    a.wait_exit(Duration::from_secs(5));
    let draft = || {
        db.conn()
            .query_row("SELECT body FROM drafts", [], |r| r.get::<_, String>(0))
            .ok()
    };
    wait_until("the draft saved by the server", || {
        draft().as_deref() == Some("客户说断网三天 link dropped")
    });
    let mut a = ssh_pty(&dir.join("home_a"), &ka, port, &[]);
    a.wait_for("wang's queue again", WAIT, |s| s.contains("王芳 (agent)"));
    a.send_keys(b"p");
    a.wait_for("the restored note", WAIT, |s| {
        s.contains("draft restored") && s.contains("客户说断网三天 link dropped")
    });
    drop(a);

    // Refusals: a key nobody registered, an inactive agent's key, a key
    // removed from its agent.
    let (ok, text) = ssh_plain(&kc, port, &[]);
    assert!(!ok && text.contains("Permission denied"), "{text}");
    let (ok, text) = ssh_plain(&kd, port, &[]);
    assert!(!ok && text.contains("Permission denied"), "{text}");
    let fp = stdout(&db.run(&["agent", "key", "list", "li"], ""));
    let fp = fp.split_whitespace().next().unwrap().to_string();
    assert!(fp.starts_with("SHA256:"), "{fp}");
    let o = db.run(&["agent", "key", "remove", "li", &fp], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let (ok, text) = ssh_plain(&kb, port, &[]);
    assert!(!ok && text.contains("Permission denied"), "{text}");

    // A command line never runs: the forced command attaches (and, with no
    // terminal, gives up) instead.
    let marker = dir.join("ran");
    let (ok, _) = ssh_plain(&ka, port, &["touch", &marker.display().to_string()]);
    assert!(!ok, "a command over ssh must not succeed");
    assert!(!marker.exists(), "ssh host COMMAND ran the command");
    // Port forwarding is refused (`restrict`): the tunnel never connects.
    assert!(forwarding_refused(&ka, port), "ssh -L forwarded a port");
    drop(b);
    if let Some(dir) = COPIED.with(|c| c.borrow_mut().take()) {
        let _ = std::fs::remove_dir_all(dir);
    }
}
