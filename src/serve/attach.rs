//! `hotline attach --agent LOGIN`: the client end of OpenSSH mode. sshd
//! runs it as the forced command `hotline keys` wrote for the agent's key;
//! it puts the terminal in raw mode, reads input with crossterm (never by
//! hand-parsing escapes) and relays it to the server's session, and copies
//! the server's frames to the terminal. The session lives in the server, so
//! a dropped link only ends this process (the server saves the draft, R18).
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

use ratatui::crossterm::{event as ct, terminal as ct_terminal};

use super::wire::{Hello, Welcome};
use crate::error::{Error, Result};
use crate::ui::terminal;

pub fn run(socket: &Path, agent: &str, lang: Option<String>) -> Result<()> {
    let stream = UnixStream::connect(socket).map_err(|e| Error::Invalid {
        field: "attach".into(),
        msg: format!(
            "no hotline server at {} ({e}); is `hotline serve` running?",
            socket.display()
        ),
    })?;
    let (cols, rows) = ct_terminal::size().unwrap_or((80, 24));
    let hello = Hello {
        agent: agent.to_string(),
        lang: lang.clone(),
        cols,
        rows,
    };
    let mut w = stream.try_clone()?;
    let line =
        serde_json::to_string(&hello).map_err(|e| Error::invalid("attach", e.to_string()))?;
    w.write_all(format!("{line}\n").as_bytes())?;
    let mut r = BufReader::new(stream.try_clone()?);
    let mut answer = String::new();
    r.read_line(&mut answer)?;
    let welcome: Welcome = serde_json::from_str(&answer)
        .map_err(|_| Error::invalid("attach", "the server did not answer"))?;
    if !welcome.error.is_empty() {
        return Err(Error::Denied(
            crate::text::for_display(&welcome.error).into_owned(),
        ));
    }
    terminal::install_panic_hook();
    let guard = terminal::Guard::enter()?;
    std::thread::Builder::new()
        .name("hotline-attach-input".into())
        .spawn(move || relay_input(w))?;
    let mut out = std::io::stdout();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if out.write_all(&buf[..n]).and_then(|()| out.flush()).is_err() {
                    break;
                }
            }
        }
    }
    drop(guard);
    // Said whether the agent quit, the server stopped or the link dropped:
    // over SSH the next line is the client's own "Connection closed".
    let mut err = crate::cli::out::Out::stderr();
    let lang = crate::i18n::Lang::detect(lang.as_deref()).unwrap_or(crate::i18n::Lang::En);
    let _ = err.line(crate::i18n::Msg::SessionEnded.text(lang));
    Ok(())
}

/// Terminal input → JSON lines to the server, until the terminal or the
/// socket is gone; then the socket is shut so the server ends the session.
fn relay_input(mut w: UnixStream) {
    while let Ok(ev) = ct::read() {
        // Only what the session acts on crosses the socket.
        if crate::ui::app::Event::from_terminal(ev.clone()).is_none() {
            continue;
        }
        let Ok(line) = serde_json::to_string(&ev) else {
            continue;
        };
        if w.write_all(format!("{line}\n").as_bytes()).is_err() {
            break;
        }
    }
    let _ = w.shutdown(std::net::Shutdown::Both);
}
