//! Callbacks (R19-R21).
use rusqlite::{Connection, OptionalExtension, params};

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

/// R7 for callbacks: the first agent allowed to make it takes it; anyone
/// else is told who did.
pub fn claim(
    c: &Connection,
    id: i64,
    agent: i64,
    role: crate::domain::model::Role,
    now: i64,
) -> Result<()> {
    let sees_all =
        crate::domain::access::allows(role, crate::domain::access::Permission::AnyCallback);
    let n = c.execute(
        "UPDATE callbacks SET assignee_id = ?2, updated_at = ?3, version = version + 1
         WHERE id = ?1 AND status = 'pending' AND assignee_id IS NULL
           AND (assignee_role IS NULL OR assignee_role = ?4 OR ?5)",
        params![id, agent, now, role.code(), sees_all],
    )?;
    if n == 1 {
        return Ok(());
    }
    let row: Option<(Option<i64>, Option<String>)> = c
        .query_row(
            "SELECT assignee_id, assignee_role FROM callbacks WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Err(crate::error::Error::NotFound(format!("callback #{id}"))),
        Some((Some(h), _)) if h == agent => Ok(()),
        Some((Some(h), _)) => Err(crate::error::Error::Conflict {
            by: super::agents::name_of(c, h)?.unwrap_or_else(|| format!("agent #{h}")),
        }),
        Some((None, r)) => Err(crate::error::Error::Denied(format!(
            "this callback is for the {} role",
            r.unwrap_or_default()
        ))),
    }
}

/// Gives a pending callback the agent holds back to its pool.
pub fn release(c: &Connection, id: i64, agent: i64, now: i64) -> Result<()> {
    let n = c.execute(
        "UPDATE callbacks SET assignee_id = NULL, updated_at = ?3, version = version + 1
         WHERE id = ?1 AND assignee_id = ?2 AND status = 'pending'",
        params![id, agent, now],
    )?;
    if n == 0 {
        return Err(crate::error::Error::invalid(
            "assignee",
            "you do not hold this callback",
        ));
    }
    Ok(())
}
