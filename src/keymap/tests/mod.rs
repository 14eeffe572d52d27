//! The keymap's tests: key names and matching (`keys`), the shipped
//! files (`files`), user overrides and errors with their lines
//! (`overrides`); the helpers they share are here.
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;

mod files;
mod keys;
mod overrides;

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn ch(c: char) -> KeyEvent {
    ev(KeyCode::Char(c), NONE)
}

fn builtins() -> Vec<(&'static str, Keymap)> {
    BUILTIN_NAMES
        .iter()
        .map(|n| (*n, Keymap::builtin(n).unwrap()))
        .collect()
}

fn default_map() -> Keymap {
    Keymap::builtin("default").unwrap()
}

/// Unwraps the error of a keymap that must not load; returns (line, message).
fn fails(text: &str) -> (usize, String) {
    match Keymap::from_toml(text, "keymap.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => (e.line().unwrap(), e.to_string()),
    }
}

fn temp_file(contents: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "hotline-keymap-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keymap.toml");
    std::fs::write(&path, contents).unwrap();
    path
}
