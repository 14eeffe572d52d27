//! Agents' SSH public keys (issue 9): several per agent, each fingerprint
//! belonging to one agent only.
use rusqlite::{Connection, OptionalExtension, params};

use super::text_col;
use crate::domain::ssh_key::AgentKey;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub id: i64,
    pub agent_id: i64,
    pub key: AgentKey,
    pub added_at: i64,
}

/// Adds `key` to the agent; a key another agent (or this one) already has
/// is refused, naming who holds it.
pub fn add(c: &Connection, agent_id: i64, key: &AgentKey, now: i64) -> Result<i64> {
    if let Some(holder) = holder_login(c, &key.fingerprint)? {
        return Err(Error::invalid(
            "key",
            format!("{} is already registered to {holder}", key.fingerprint),
        ));
    }
    c.execute(
        "INSERT INTO agent_keys (agent_id, algorithm, key_data, fingerprint, comment, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            agent_id,
            key.algorithm,
            key.data,
            key.fingerprint,
            key.comment,
            now
        ],
    )?;
    Ok(c.last_insert_rowid())
}

fn holder_login(c: &Connection, fingerprint: &str) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT a.login FROM agent_keys k JOIN agents a ON a.id = k.agent_id
             WHERE k.fingerprint = ?1",
        [fingerprint],
        |r| text_col(r, 0),
    )
    .optional()?)
}

pub fn list(c: &Connection, agent_id: i64) -> Result<Vec<StoredKey>> {
    let mut st = c.prepare_cached(
        "SELECT id, agent_id, algorithm, key_data, fingerprint, comment, added_at
         FROM agent_keys WHERE agent_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([agent_id], |r| {
        Ok(StoredKey {
            id: r.get(0)?,
            agent_id: r.get(1)?,
            key: AgentKey {
                algorithm: text_col(r, 2)?,
                data: text_col(r, 3)?,
                fingerprint: text_col(r, 4)?,
                comment: text_col(r, 5)?,
            },
            added_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes the agent's key whose fingerprint is `fingerprint` (or, when
/// that is not a fingerprint, whose comment is exactly it). Returns the
/// fingerprint removed.
pub fn remove(c: &Connection, agent_id: i64, which: &str) -> Result<String> {
    let keys = list(c, agent_id)?;
    let hit: Vec<_> = keys
        .iter()
        .filter(|k| k.key.fingerprint == which || k.key.comment == which)
        .collect();
    match hit.as_slice() {
        [one] => {
            c.execute("DELETE FROM agent_keys WHERE id = ?1", [one.id])?;
            Ok(one.key.fingerprint.clone())
        }
        [] => Err(Error::NotFound(format!("key {which:?} of this agent"))),
        _ => Err(Error::invalid(
            "key",
            format!("{which:?} names several keys: give the fingerprint"),
        )),
    }
}

/// Who a key belongs to, by fingerprint: the agent's id, whatever their
/// state (the caller refuses an inactive agent with a message).
pub fn agent_of(c: &Connection, fingerprint: &str) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT agent_id FROM agent_keys WHERE fingerprint = ?1",
        [fingerprint],
        |r| r.get(0),
    )
    .optional()?)
}
