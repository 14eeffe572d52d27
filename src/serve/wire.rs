//! What `hotline attach` and `hotline serve` say to each other over the
//! Unix socket (issue 9, OpenSSH mode). The client sends one JSON line of
//! [`Hello`], the server answers one JSON line of [`Welcome`], then the
//! client sends crossterm input events as JSON lines and the server sends
//! raw terminal bytes (the frames) until either side closes.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct Hello {
    pub agent: String,
    pub lang: Option<String>,
    pub cols: u16,
    pub rows: u16,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Welcome {
    /// Empty when the session opens; otherwise why it was refused.
    pub error: String,
}

/// The longest line a client may send: a paste of a long complaint fits,
/// 100 MB of garbage does not.
pub const MAX_LINE: usize = 256 * 1024;

/// The socket next to the database unless `--socket` says otherwise.
pub fn default_socket(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".sock");
    PathBuf::from(s)
}
