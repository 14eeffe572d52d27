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

/// Whether `seed-demo` may add to this database: it holds no customer and
/// no complaint yet, or only what an earlier seed-demo put there (its audit
/// entry says so, and nothing but the demo's writes was audited since).
pub fn only_demo_data(c: &Connection) -> Result<bool> {
    let n = counts(c)?;
    if n.customers == 0 && n.complaints == 0 {
        return Ok(true);
    }
    let seeded: i64 = c.query_row(
        "SELECT count(*) FROM audit WHERE action = 'seed_demo'",
        [],
        |r| r.get(0),
    )?;
    let real: i64 = c.query_row(
        "SELECT count(*) FROM complaints WHERE id > coalesce(
             (SELECT max(entity_id) FROM audit WHERE action = 'seed_demo'), 0)",
        [],
        |r| r.get(0),
    )?;
    Ok(seeded > 0 && real == 0)
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
