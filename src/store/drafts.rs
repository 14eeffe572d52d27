//! R18: unfinished notes and forms, saved about a second after the last
//! keystroke and found again after a crash or a dropped link.
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// Saves (or, for an empty body, removes) the draft for one context,
/// e.g. `call:C20261122-0007` or `form:new`.
pub fn save(c: &Connection, agent: i64, context: &str, body: &str, now: i64) -> Result<()> {
    if body.trim().is_empty() {
        return clear(c, agent, context);
    }
    c.prepare_cached(
        "INSERT INTO drafts (agent_id, context, body, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(agent_id, context) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )?
    .execute(params![agent, context, body, now])?;
    Ok(())
}

pub fn load(c: &Connection, agent: i64, context: &str) -> Result<Option<(String, i64)>> {
    Ok(c.prepare_cached(
        "SELECT body, updated_at FROM drafts WHERE agent_id = ?1 AND context = ?2",
    )?
    .query_row(params![agent, context], |r| {
        Ok((super::text_col(r, 0)?, r.get(1)?))
    })
    .optional()?)
}

pub fn clear(c: &Connection, agent: i64, context: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM drafts WHERE agent_id = ?1 AND context = ?2")?
        .execute(params![agent, context])?;
    Ok(())
}

/// Every draft the agent has, `(context, body)`: restored drafts are
/// marked where they belong after a restart.
pub fn list(c: &Connection, agent: i64) -> Result<Vec<(String, String)>> {
    let rows = c
        .prepare_cached("SELECT context, body FROM drafts WHERE agent_id = ?1 ORDER BY context")?
        .query_map([agent], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
