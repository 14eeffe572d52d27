//! Terminal set-up and restore. The guard restores raw mode, the cursor and
//! the main screen in `Drop`; the panic hook restores before the message is
//! printed, so a crash never leaves an agent's terminal unusable.
//!
//! Restoring happens once: a panic restores in the hook, and the guard's
//! `Drop` during the unwinding that follows must not switch screens again
//! (leaving the alternate screen a second time moves the cursor back to
//! where it was on entry, and the panic message would be overwritten).
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::{cursor, event, execute, terminal};

/// The terminal is in raw mode on the alternate screen and needs restoring.
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub struct Guard;

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = Guard;
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide,
            event::EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(
        out,
        terminal::EndSynchronizedUpdate,
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
