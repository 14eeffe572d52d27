//! Drives a real program in a pseudo-terminal and reads its screen the way
//! a terminal would: every byte the program writes goes through a vt100
//! parser (on a reader thread) and is also kept raw, so tests can assert on
//! what is on screen and on exactly what was sent to the terminal.
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Window titles the program tried to set (OSC 0/2), for injection tests.
#[derive(Default)]
pub struct Seen {
    pub titles: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Seen {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
}

pub struct Term {
    pub parser: vt100::Parser<Seen>,
    /// Every byte read from the terminal, in order.
    pub raw: Vec<u8>,
    /// The program side closed the terminal (every process using it ended).
    pub eof: bool,
}

type Shared = Arc<(Mutex<Term>, Condvar)>;

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    shared: Shared,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("terminal size must not be zero")
}

/// A command for the pty with a clean, predictable environment: no
/// inherited hotline variables, a private HOME (so no user keymap), and a
/// terminal type crossterm knows.
pub fn command(program: &str, home: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    for k in [
        "HOTLINE_DB",
        "HOTLINE_CLOCK_OFFSET",
        "HOTLINE_TEST_PANIC",
        "NO_COLOR",
        "LC_ALL",
        "LANGUAGE",
        "RUST_BACKTRACE",
    ] {
        cmd.env_remove(k);
    }
    std::fs::create_dir_all(home).expect("home dir");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join(".config"));
    cmd.env("XDG_DATA_HOME", home.join(".local/share"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.cwd(home);
    cmd
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        // Only the child may hold the slave side, so that the reader sees
        // end-of-file once the child (and anything it started) is gone.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let shared: Shared = Arc::new((
            Mutex::new(Term {
                parser: vt100::Parser::new_with_callbacks(nz(rows), nz(cols), 0, Seen::default()),
                raw: Vec::new(),
                eof: false,
            }),
            Condvar::new(),
        ));
        let s = shared.clone();
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => 0,
                    Ok(n) => n,
                };
                let (lock, cv) = &*s;
                let mut t = lock.lock().unwrap_or_else(|e| e.into_inner());
                if n == 0 {
                    t.eof = true;
                    cv.notify_all();
                    return;
                }
                t.parser.process(&buf[..n]);
                t.raw.extend_from_slice(&buf[..n]);
                cv.notify_all();
            }
        });
        Pty {
            master: pair.master,
            writer,
            child,
            shared,
            reader: Some(handle),
            status: None,
        }
    }

    /// `hotline --db DB --agent LOGIN --lang en` at `cols`x`rows`, plus
    /// extra environment variables.
    pub fn hotline(db: &Path, agent: &str, env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let home = db.parent().expect("db dir").join("home");
        let mut cmd = command(super::BIN, &home);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(["--agent", agent, "--lang", "en"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Pty::spawn(cmd, cols, rows)
    }

    /// `sh -c SCRIPT BIN DB` (so the script says "$0" for the hotline binary
    /// and "$1" for the database).
    pub fn sh(db: &Path, script: &str, env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        let home = db.parent().expect("db dir").join("home");
        let mut cmd = command("sh", &home);
        cmd.arg("-c");
        cmd.arg(script);
        cmd.arg(super::BIN);
        cmd.arg(db);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Pty::spawn(cmd, cols, rows)
    }

    pub fn term(&self) -> MutexGuard<'_, Term> {
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn screen_text(&self) -> String {
        self.term().parser.screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.term().raw.clone()
    }

    pub fn alternate_screen(&self) -> bool {
        self.term().parser.screen().alternate_screen()
    }

    /// Waits until `ok(screen text)` holds; returns the screen and the
    /// instant the bytes that made it hold had been parsed. Panics with
    /// the screen on timeout.
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> (String, Instant) {
        match self.try_wait_for(timeout, ok) {
            Ok(r) => r,
            Err(screen) => {
                panic!("timed out after {timeout:?} waiting for {what}; screen:\n{screen}")
            }
        }
    }

    /// Like [`Pty::wait_for`], returning the last screen on timeout.
    pub fn try_wait_for(
        &self,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> Result<(String, Instant), String> {
        let deadline = Instant::now() + timeout;
        let (lock, cv) = &*self.shared;
        let mut t = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let s = t.parser.screen().contents();
            if ok(&s) {
                return Ok((s, Instant::now()));
            }
            let now = Instant::now();
            if now >= deadline || t.eof {
                return Err(s);
            }
            t = cv
                .wait_timeout(t, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    pub fn send_keys(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the parser.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.term().parser.screen_mut().set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Waits for the child to exit and for all its output to be read.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "child still running after {timeout:?}; screen:\n{}",
                self.screen_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The rest of the output is in the pty's buffer: read up to EOF.
        let _ = self.try_wait_for(Duration::from_secs(5), |_| false);
        self.status = Some(status.clone());
        status
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // The reader ends at EOF; don't hang a failing test on it.
        if let Some(h) = self.reader.take()
            && self.term().eof
        {
            let _ = h.join();
        }
    }
}

/// The process ids whose parent is `ppid` (from /proc), e.g. hotline under
/// the `sh -c` that runs it.
pub fn children_of(ppid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid ...; comm may hold spaces and parentheses.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let parent = rest
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u32>().ok());
        if parent == Some(ppid) {
            out.push(pid);
        }
    }
    out
}

/// Sends a signal by name (`TERM`, `HUP`, ...) with kill(1).
pub fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill -{sig} {pid} failed");
}

/// Finds `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal modes `stty -a` printed after `marker` in the raw output:
/// (echo on, canonical mode on).
pub fn stty_modes(raw: &[u8], marker: &str) -> (bool, bool) {
    let at = rfind(raw, marker.as_bytes()).expect("stty marker in output");
    let text = String::from_utf8_lossy(&raw[at..]);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    let has = |w: &str| words.contains(&w);
    assert!(
        has("echo") || has("-echo"),
        "no stty -a output after {marker:?}: {text}"
    );
    (has("echo"), has("icanon"))
}
