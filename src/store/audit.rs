//! The append-only audit trail (R31, R32): the table's triggers refuse
//! UPDATE and DELETE, so entries can only be added.
use rusqlite::{Connection, params};

use crate::error::Result;

pub struct Entry<'a> {
    pub agent_id: Option<i64>,
    pub agent_login: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub purpose: &'a str,
    pub detail: &'a str,
}

pub fn append(c: &Connection, e: &Entry<'_>, now: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit (at, agent_id, agent_login, action, entity, entity_id, purpose, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        now,
        e.agent_id,
        e.agent_login,
        e.action,
        e.entity,
        e.entity_id,
        e.purpose,
        e.detail
    ])?;
    Ok(())
}
