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

/// `hotline search` asking a running server instead of building an index
/// of its own (issue 9). The caller decided what its agent may see (R30);
/// only the service account reaches the socket at all.
#[derive(Debug, Serialize, Deserialize)]
pub struct Search {
    pub search: String,
    pub limit: usize,
    pub confidential: bool,
    pub fuzzy_pinyin: bool,
}

/// The server's answer to [`Search`]: the hits, how the query was read,
/// or why there is none (the index still being built).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Found {
    pub error: String,
    pub hits: Vec<Hit>,
    pub reading: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Hit {
    pub id: i64,
    pub score: i64,
    /// The key the best term matched, as `hotline search --json` names it.
    pub field: String,
    pub name_matches: Vec<usize>,
}

/// The first line a client sends.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum First {
    Search(Search),
    Hello(Hello),
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
