//! The SSH client side of the issue-9 tests: keys made by `ssh-keygen`,
//! the real `ssh` client with or without a terminal, and a child that is
//! killed when the test ends.
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::pty::{self, Pty};

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Kill(pub Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn keygen(dir: &Path, name: &str) -> std::path::PathBuf {
    let key = dir.join(name);
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen (openssh-client) is installed by .ci/run");
    assert!(st.success());
    key
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_until(what: &str, ok: impl Fn() -> bool) {
    let t = Instant::now();
    while !ok() {
        assert!(t.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The client's options for `root@127.0.0.1:port` with `key` only.
pub fn ssh_args(key: &Path, port: u16) -> Vec<String> {
    let mut a: Vec<String> = [
        "-i",
        &key.display().to_string(),
        "-p",
        &port.to_string(),
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    a.push("root@127.0.0.1".into());
    a
}

pub fn ssh_pty(home: &Path, key: &Path, port: u16, extra: &[&str]) -> Pty {
    let mut cmd = pty::command("ssh", home);
    cmd.arg("-tt");
    for a in ssh_args(key, port) {
        cmd.arg(a);
    }
    for a in extra {
        cmd.arg(a);
    }
    Pty::spawn(cmd, 100, 30)
}

/// `ssh` without a terminal: status and what it printed.
pub fn ssh_plain(key: &Path, port: u16, extra: &[&str]) -> (bool, String) {
    let o = Command::new("ssh")
        .args(ssh_args(key, port))
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

/// Whether `ssh -N -L` through `key`'s login fails to forward a port to
/// the server itself: through a working tunnel the server's SSH banner
/// would arrive.
pub fn forwarding_refused(key: &Path, port: u16) -> bool {
    use std::io::Read;
    let fwd = free_port();
    let mut tunnel = Command::new("ssh")
        .args(["-N", "-o", "ExitOnForwardFailure=yes", "-L"])
        .arg(format!("{fwd}:127.0.0.1:{port}"))
        .args(ssh_args(key, port))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let refused = match std::net::TcpStream::connect(("127.0.0.1", fwd)) {
        Err(_) => true,
        Ok(mut s) => {
            s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
            let mut buf = [0u8; 8];
            !matches!(s.read(&mut buf), Ok(n) if n > 0)
        }
    };
    let _ = tunnel.kill();
    let _ = tunnel.wait();
    refused
}

/// A claims the complaint under its cursor; B's screen shows it claimed by
/// A's agent (`a_name`) at once (R7, R8).
pub fn a_claims_b_sees(a: &mut Pty, b: &Pty, a_name: &str) {
    a.send_keys(b"c");
    a.wait_for("the claim on A", WAIT, |s| s.contains("Claimed"));
    b.wait_for("A's claim on B's screen", WAIT, |s| {
        s.lines().any(|l| l.contains("C2026") && l.contains(a_name))
    });
}
