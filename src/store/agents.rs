//! Agents and their roles.
use crate::store::text_col;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::found;
use crate::domain::model::Role;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

const COLS: &str = "id, login, name, role, active";

fn row(r: &Row<'_>) -> rusqlite::Result<Agent> {
    let role: String = text_col(r, 3)?;
    Ok(Agent {
        id: r.get(0)?,
        login: text_col(r, 1)?,
        name: text_col(r, 2)?,
        role: role.parse().unwrap_or(Role::Agent),
        active: r.get(4)?,
    })
}

pub fn create(c: &Connection, login: &str, name: &str, role: Role, now: i64) -> Result<i64> {
    let login = crate::text::clean_line("login", login, 64)?;
    // Logins go into SSH user names and `command="…"` lines (issue 9).
    crate::domain::ssh_key::check_login(&login).map_err(|e| Error::invalid("login", e))?;
    let name = crate::text::clean_line("name", name, 100)?;
    c.execute(
        "INSERT INTO agents (login, name, role, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![login, name, role.code(), now],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::invalid("login", format!("{login:?} already exists"))
        }
        _ => e.into(),
    })?;
    Ok(c.last_insert_rowid())
}

pub fn by_login(c: &Connection, login: &str) -> Result<Agent> {
    let sql = format!("SELECT {COLS} FROM agents WHERE login = ?1");
    found(c.query_row(&sql, [login], row), || {
        format!("agent {login:?}")
    })
}

pub fn by_id(c: &Connection, id: i64) -> Result<Agent> {
    let sql = format!("SELECT {COLS} FROM agents WHERE id = ?1");
    found(c.query_row(&sql, [id], row), || format!("agent #{id}"))
}

pub fn name_of(c: &Connection, id: i64) -> Result<Option<String>> {
    Ok(
        c.query_row("SELECT name FROM agents WHERE id = ?1", [id], |r| {
            text_col(r, 0)
        })
        .optional()?,
    )
}

pub fn list(c: &Connection) -> Result<Vec<Agent>> {
    let sql = format!("SELECT {COLS} FROM agents ORDER BY role DESC, login");
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a change that would leave the database without an active admin
/// (nobody could then manage agents or settings).
fn keep_an_admin(c: &Connection, id: i64) -> Result<()> {
    let a = by_id(c, id)?;
    if a.role != Role::Admin || !a.active {
        return Ok(());
    }
    let others: i64 = c.query_row(
        "SELECT count(*) FROM agents WHERE role = 'admin' AND active = 1 AND id <> ?1",
        [id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(Error::Denied(format!(
            "{} is the last active admin; make another admin first",
            crate::text::for_display(&a.login)
        )));
    }
    Ok(())
}

/// Changes an agent's role; the last active admin keeps theirs.
pub fn set_role(c: &Connection, id: i64, role: Role) -> Result<()> {
    if role != Role::Admin {
        keep_an_admin(c, id)?;
    }
    c.execute(
        "UPDATE agents SET role = ?2 WHERE id = ?1",
        params![id, role.code()],
    )?;
    Ok(())
}

/// Whether the database has any agent at all (a fresh `init`).
pub fn none_yet(c: &Connection) -> Result<bool> {
    let n: i64 = c.query_row("SELECT count(*) FROM agents", [], |r| r.get(0))?;
    Ok(n == 0)
}

/// The agents who may no longer log in (they left, R33).
pub fn inactive_ids(c: &Connection) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached("SELECT id FROM agents WHERE active = 0")?;
    let ids = st.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

pub fn set_active(c: &Connection, id: i64, active: bool) -> Result<()> {
    if !active {
        keep_an_admin(c, id)?;
    }
    c.execute(
        "UPDATE agents SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?;
    Ok(())
}

/// R33: an agent leaves. Their open complaints and pending callbacks go to
/// `to` in one transaction (the caller's), each complaint's history shows
/// the handover, and the leaver is deactivated. Returns (complaints, callbacks).
pub fn hand_over(
    c: &Connection,
    from: i64,
    to: i64,
    by: Option<i64>,
    now: i64,
) -> Result<(usize, usize)> {
    if from == to {
        return Err(Error::invalid("to", "cannot hand over to the same agent"));
    }
    let target = by_id(c, to)?;
    if !target.active {
        return Err(Error::invalid(
            "to",
            format!("{} is inactive", target.login),
        ));
    }
    let leaver = by_id(c, from)?;
    let ids: Vec<i64> = c
        .prepare("SELECT id FROM complaints WHERE assignee_id = ?1 AND status <> 'closed'")?
        .query_map([from], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let note = format!("handover from {} (R33)", leaver.login);
    let actor = super::complaints::Actor {
        id: by,
        role: Role::Admin,
    };
    for id in &ids {
        super::complaints::assign(c, *id, to, actor, now, &note)?;
    }
    let callbacks = c.execute(
        "UPDATE callbacks SET assignee_id = ?2, updated_at = ?3, version = version + 1
         WHERE assignee_id = ?1 AND status = 'pending'",
        params![from, to, now],
    )?;
    set_active(c, from, false)?;
    Ok((ids.len(), callbacks))
}
