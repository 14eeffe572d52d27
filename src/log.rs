//! Logs: `tracing` to a file in the XDG state directory, never to the
//! screen (the TUI owns it). The level comes from `HOTLINE_LOG` (`error`,
//! `warn`, `info`, `debug`, `trace`, or a `tracing` filter such as
//! `hotline::store=debug`); the default is `info`.
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// `$XDG_STATE_HOME/hotline/hotline.log` (`~/.local/state/hotline/` by default).
pub fn log_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().and_then(|d| d.state_dir().map(PathBuf::from)))
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".local/state")))?;
    Some(state.join("hotline").join("hotline.log"))
}

fn open(path: &PathBuf) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut o = OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Logs name agents and records: only the account that runs hotline reads them.
        o.mode(0o600);
    }
    o.open(path)
}

/// Installs the file logger. A log that cannot be opened (read-only home,
/// no state directory) leaves hotline running without logs: a missing log
/// must never stop an agent's work.
pub fn init() {
    let Some(path) = log_path() else { return };
    let Ok(file) = open(&path) else { return };
    let filter = std::env::var("HOTLINE_LOG")
        .ok()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(true)
        .try_init();
}
