//! Bytes from an SSH channel → the app's events (issue 9). The escape
//! sequences are parsed by termwiz's `InputParser` (wezterm's), never by
//! hand; its events become the crossterm events the local terminal and
//! `hotline attach` produce, so every session goes through
//! [`Event::from_terminal`] alike.
use std::time::Duration;

use ratatui::crossterm::event as ct;
use termwiz::input::{InputEvent, InputParser, KeyCode, Modifiers};
use tokio::sync::mpsc;

use super::wire::MAX_LINE;
use crate::ui::app::Event;

/// How long a lone ESC waits for the rest of a sequence before it is the
/// Escape key.
const ESC_WAIT: Duration = Duration::from_millis(25);

/// At most this many input events per 100 ms reach a session (a person
/// types ~10 a second; a paste is one). Beyond it the parser slows down,
/// the channel fills and SSH flow control stops the client.
const EVENTS_PER_TICK: usize = 200;

/// One termwiz event as the crossterm event the app knows, or none.
pub fn to_crossterm(ev: InputEvent) -> Option<ct::Event> {
    match ev {
        InputEvent::Key(k) => key(&k.key, k.modifiers).map(ct::Event::Key),
        InputEvent::Paste(text) => Some(ct::Event::Paste(text)),
        _ => None,
    }
}

fn key(code: &KeyCode, m: Modifiers) -> Option<ct::KeyEvent> {
    let mut mods = ct::KeyModifiers::NONE;
    if m.contains(Modifiers::SHIFT) {
        mods |= ct::KeyModifiers::SHIFT;
    }
    if m.contains(Modifiers::ALT) {
        mods |= ct::KeyModifiers::ALT;
    }
    if m.contains(Modifiers::CTRL) {
        mods |= ct::KeyModifiers::CONTROL;
    }
    use ct::KeyCode as C;
    let c = match code {
        // crossterm marks an upper-case letter as shifted; so do we.
        KeyCode::Char(ch) if ch.is_uppercase() => {
            mods |= ct::KeyModifiers::SHIFT;
            C::Char(*ch)
        }
        KeyCode::Char('\u{7f}') => C::Backspace,
        KeyCode::Char(ch) if ch.is_control() => return None,
        KeyCode::Char(ch) => C::Char(*ch),
        KeyCode::Backspace => C::Backspace,
        KeyCode::Tab if mods.contains(ct::KeyModifiers::SHIFT) => C::BackTab,
        KeyCode::Tab => C::Tab,
        KeyCode::Enter => C::Enter,
        KeyCode::Escape => C::Esc,
        KeyCode::Delete => C::Delete,
        KeyCode::Insert => C::Insert,
        KeyCode::Home | KeyCode::KeyPadHome => C::Home,
        KeyCode::End | KeyCode::KeyPadEnd => C::End,
        KeyCode::PageUp | KeyCode::KeyPadPageUp => C::PageUp,
        KeyCode::PageDown | KeyCode::KeyPadPageDown => C::PageDown,
        KeyCode::UpArrow | KeyCode::ApplicationUpArrow => C::Up,
        KeyCode::DownArrow | KeyCode::ApplicationDownArrow => C::Down,
        KeyCode::LeftArrow | KeyCode::ApplicationLeftArrow => C::Left,
        KeyCode::RightArrow | KeyCode::ApplicationRightArrow => C::Right,
        KeyCode::Function(n) => C::F(*n),
        _ => return None,
    };
    Some(ct::KeyEvent::new(c, mods))
}

/// Why the input of a session stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Stopped {
    /// The channel closed (EOF, a dropped link, the session ended).
    Closed,
    /// More than [`MAX_LINE`] bytes without one complete event: garbage,
    /// or a paste that never ends.
    Overlong,
}

/// Parses the channel's bytes into events for `session` until the bytes
/// stop or the session is gone.
pub async fn pump(
    mut bytes: mpsc::Receiver<Vec<u8>>,
    session: mpsc::UnboundedSender<Event>,
) -> Stopped {
    let mut parser = InputParser::new();
    let (mut waiting, mut unparsed) = (0usize, 0usize);
    let mut tick = (tokio::time::Instant::now(), 0usize);
    loop {
        let chunk = if waiting > 0 {
            match tokio::time::timeout(ESC_WAIT, bytes.recv()).await {
                Ok(c) => c,
                // Nothing followed: what is held (a lone ESC) is a key.
                Err(_) => Some(Vec::new()),
            }
        } else {
            bytes.recv().await
        };
        let Some(chunk) = chunk else {
            return Stopped::Closed;
        };
        let more = !chunk.is_empty();
        let mut sent = 0usize;
        let mut gone = false;
        parser.parse(
            &chunk,
            |ev| {
                sent += 1;
                if let Some(e) = to_crossterm(ev).and_then(Event::from_terminal) {
                    gone |= session.send(e).is_err();
                }
            },
            more,
        );
        if gone {
            return Stopped::Closed;
        }
        unparsed = if sent > 0 { 0 } else { unparsed + chunk.len() };
        if unparsed > MAX_LINE {
            return Stopped::Overlong;
        }
        waiting = usize::from(more);
        tick.1 += sent;
        if tick.1 > EVENTS_PER_TICK {
            tokio::time::sleep_until(tick.0 + Duration::from_millis(100)).await;
        }
        if tick.0.elapsed() >= Duration::from_millis(100) {
            tick = (tokio::time::Instant::now(), 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ct::{KeyCode as C, KeyModifiers as M};

    fn keys(bytes: &[u8]) -> Vec<ct::Event> {
        let mut p = InputParser::new();
        p.parse_as_vec(bytes, false)
            .into_iter()
            .filter_map(to_crossterm)
            .collect()
    }

    fn k(c: C, m: M) -> ct::Event {
        ct::Event::Key(ct::KeyEvent::new(c, m))
    }

    #[test]
    fn terminal_bytes_become_the_keys_crossterm_would_read() {
        assert_eq!(keys(b"j"), vec![k(C::Char('j'), M::NONE)]);
        assert_eq!(keys(b"G"), vec![k(C::Char('G'), M::SHIFT)]);
        assert_eq!(keys(b"\r"), vec![k(C::Enter, M::NONE)]);
        assert_eq!(keys(b"\x7f"), vec![k(C::Backspace, M::NONE)]);
        assert_eq!(keys(b"\x1b"), vec![k(C::Esc, M::NONE)]);
        assert_eq!(
            keys(b"\x1b[A\x1b[B"),
            vec![k(C::Up, M::NONE), k(C::Down, M::NONE)]
        );
        assert_eq!(keys(b"\x1bOA"), vec![k(C::Up, M::NONE)]);
        assert_eq!(keys(b"\x03"), vec![k(C::Char('c'), M::CONTROL)]);
        assert_eq!(keys(b"\t"), vec![k(C::Tab, M::NONE)]);
        assert_eq!(keys(b"\x1b[Z"), vec![k(C::BackTab, M::SHIFT)]);
        assert_eq!(
            keys(b"\x1b[5~\x1b[6~"),
            vec![k(C::PageUp, M::NONE), k(C::PageDown, M::NONE)]
        );
        assert_eq!(keys(b"\x1bOP"), vec![k(C::F(1), M::NONE)]);
    }

    #[test]
    fn chinese_text_and_bracketed_paste_arrive_whole() {
        assert_eq!(
            keys("张伟".as_bytes()),
            vec![k(C::Char('张'), M::NONE), k(C::Char('伟'), M::NONE)]
        );
        assert_eq!(
            keys("\x1b[200~退款 未到\r第二行\x1b[201~".as_bytes()),
            vec![ct::Event::Paste("退款 未到\r第二行".into())]
        );
    }

    #[tokio::test]
    async fn split_sequences_a_lone_escape_and_overlong_garbage() {
        let (btx, brx) = mpsc::channel(8);
        let (etx, mut erx) = mpsc::unbounded_channel();
        let pump = tokio::spawn(pump(brx, etx));
        // "张" split across two packets, then an arrow split after ESC.
        let z = "张".as_bytes();
        btx.send(z[..1].to_vec()).await.unwrap();
        btx.send(z[1..].to_vec()).await.unwrap();
        btx.send(b"\x1b".to_vec()).await.unwrap();
        btx.send(b"[A".to_vec()).await.unwrap();
        btx.send(b"\x1b".to_vec()).await.unwrap();
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(erx.recv().await.unwrap());
        }
        let want: Vec<Event> = [
            k(C::Char('张'), M::NONE),
            k(C::Up, M::NONE),
            k(C::Esc, M::NONE),
        ]
        .into_iter()
        .filter_map(Event::from_terminal)
        .collect();
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        // A paste that never ends is cut off, not buffered for ever.
        btx.send(b"\x1b[200~".to_vec()).await.unwrap();
        let junk = vec![b'x'; 64 * 1024];
        for _ in 0..6 {
            if btx.send(junk.clone()).await.is_err() {
                break;
            }
        }
        assert_eq!(pump.await.unwrap(), Stopped::Overlong);
    }
}
