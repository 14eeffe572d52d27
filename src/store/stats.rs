//! Counts for summaries and checks.
use rusqlite::Connection;

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub customers: i64,
    pub complaints: i64,
    pub open_complaints: i64,
    pub pending_callbacks: i64,
    pub agents: i64,
}

pub fn counts(c: &Connection) -> Result<Counts> {
    Ok(c.query_row(
        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM complaints),
                (SELECT count(*) FROM complaints WHERE status <> 'closed'),
                (SELECT count(*) FROM callbacks WHERE status = 'pending'),
                (SELECT count(*) FROM agents)",
        [],
        |r| {
            Ok(Counts {
                customers: r.get(0)?,
                complaints: r.get(1)?,
                open_complaints: r.get(2)?,
                pending_callbacks: r.get(3)?,
                agents: r.get(4)?,
            })
        },
    )?)
}
