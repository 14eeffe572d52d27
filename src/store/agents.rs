//! Agents and their roles.
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
    let role: String = r.get(3)?;
    Ok(Agent {
        id: r.get(0)?,
        login: r.get(1)?,
        name: r.get(2)?,
        role: role.parse().unwrap_or(Role::Agent),
        active: r.get(4)?,
    })
}

pub fn create(c: &Connection, login: &str, name: &str, role: Role, now: i64) -> Result<i64> {
    let login = crate::text::clean_line("login", login, 64)?;
    if login.is_empty() || login.contains(char::is_whitespace) {
        return Err(Error::invalid("login", "must be one word"));
    }
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
        c.query_row("SELECT name FROM agents WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
    )
}

pub fn list(c: &Connection) -> Result<Vec<Agent>> {
    let sql = format!("SELECT {COLS} FROM agents ORDER BY role DESC, login");
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_active(c: &Connection, id: i64, active: bool) -> Result<()> {
    c.execute(
        "UPDATE agents SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?;
    Ok(())
}
