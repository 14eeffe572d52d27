//! Contacts (call records).
use rusqlite::{Connection, params};

use crate::error::Result;

pub struct NewContact<'a> {
    pub complaint_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub inbound: bool,
    pub method: &'a str,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub outcome: Option<&'a str>,
    pub notes: &'a str,
}

pub fn record(c: &Connection, n: &NewContact<'_>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO contacts (complaint_id, customer_id, agent_id, direction, method, started_at,
            ended_at, outcome, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        n.complaint_id,
        n.customer_id,
        n.agent_id,
        if n.inbound { "inbound" } else { "outbound" },
        n.method,
        n.started_at,
        n.ended_at,
        n.outcome,
        n.notes
    ])?;
    let id = c.last_insert_rowid();
    if let Some(cu) = n.customer_id {
        c.prepare_cached(
            "UPDATE customers SET last_contact_at = max(coalesce(last_contact_at, 0), ?2) WHERE id = ?1",
        )?
        .execute(params![cu, n.started_at])?;
    }
    Ok(id)
}

/// A call the agent placed (`p`: call the customer) is outbound, whatever
/// the caller assumed when recording it.
pub fn set_outbound(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("UPDATE contacts SET direction = 'outbound' WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
