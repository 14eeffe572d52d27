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

/// Appends one entry; `os_user` is the OS account that ran the process,
/// whatever agent it acted as (`--agent`), so the trail shows who really did it.
pub fn append(c: &Connection, e: &Entry<'_>, now: i64) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO audit (at, agent_id, agent_login, action, entity, entity_id, purpose, detail, os_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        now,
        e.agent_id,
        e.agent_login,
        e.action,
        e.entity,
        e.entity_id,
        e.purpose,
        e.detail,
        crate::identity::os_user().login
    ])?;
    Ok(())
}
