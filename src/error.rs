//! The crate's error type. Every variant says what is wrong in words a user
//! can act on; `Invalid` names the field (or line) at fault.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{field}: {msg}")]
    Invalid { field: String, msg: String },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Denied(String),
    #[error("already taken by {by}")]
    Conflict { by: String },
    #[error("{0}")]
    Database(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn invalid(field: impl Into<String>, msg: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            msg: msg.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
