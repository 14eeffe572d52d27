//! Callbacks (R19-R21).
use rusqlite::{Connection, params};

use crate::domain::callback::Route;
use crate::domain::model::CallbackPurpose;
use crate::error::Result;

pub struct NewCallback {
    pub complaint_id: i64,
    pub customer_id: Option<i64>,
    pub due_at: i64,
    pub purpose: CallbackPurpose,
    pub route: Route,
    pub max_attempts: u32,
    pub note: String,
}

pub fn schedule(c: &Connection, n: &NewCallback, now: i64) -> Result<i64> {
    let (agent, role) = match n.route {
        Route::Agent(a) => (Some(a), None),
        Route::Role(r) => (None, Some(r.code())),
    };
    c.prepare_cached(
        "INSERT INTO callbacks (complaint_id, customer_id, due_at, purpose, assignee_id, assignee_role,
            max_attempts, status, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?9)",
    )?
    .execute(params![
        n.complaint_id,
        n.customer_id,
        n.due_at,
        n.purpose.code(),
        agent,
        role,
        n.max_attempts,
        n.note,
        now
    ])?;
    Ok(c.last_insert_rowid())
}

/// Marks a callback done or failed with its attempts used (demo history).
pub fn finish_for_demo(c: &Connection, id: i64, status: &str, at: i64) -> Result<()> {
    c.execute(
        "UPDATE callbacks SET status = ?2, attempts = CASE ?2 WHEN 'failed' THEN max_attempts ELSE 1 END,
             method = 'phone', updated_at = ?3 WHERE id = ?1",
        params![id, status, at],
    )?;
    Ok(())
}
