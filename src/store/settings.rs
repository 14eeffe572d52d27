//! Settings in the `settings` table, read as [`Settings`] over the defaults.
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::settings::{Settings, default_pairs};
use crate::error::{Error, Result};

pub fn pairs(c: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
    let rows = st.query_map([], |r| Ok((super::text_col(r, 0)?, super::text_col(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn load(c: &Connection) -> Result<Settings> {
    Settings::from_pairs(&pairs(c)?).map_err(|e| Error::Database(format!("settings: {e}")))
}

/// The revision the settings triggers bump on every change.
pub fn revision(c: &Connection) -> Result<i64> {
    Ok(
        c.prepare_cached("SELECT rev FROM settings_rev WHERE id = 1")?
            .query_row([], |r| r.get(0))?,
    )
}

/// Parsed settings kept by one connection, re-read only when the revision
/// moved (one small read instead of parsing every setting per transaction).
#[derive(Default)]
pub struct Cache {
    held: Option<(i64, std::sync::Arc<Settings>)>,
}

impl Cache {
    pub fn get(&mut self, c: &Connection) -> Result<std::sync::Arc<Settings>> {
        let rev = revision(c)?;
        if let Some((r, s)) = &self.held
            && *r == rev
        {
            return Ok(s.clone());
        }
        let s = std::sync::Arc::new(load(c)?);
        self.held = Some((rev, s.clone()));
        Ok(s)
    }
}

/// Writes the defaults that are not set yet (`init`, and after upgrades that
/// add settings).
pub fn insert_defaults(c: &Connection, tz: &str) -> Result<()> {
    let mut st = c.prepare_cached("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)")?;
    for (k, v) in default_pairs(tz) {
        st.execute(params![k, v])?;
    }
    Ok(())
}

/// Sets one value after checking that the whole set still parses, so a bad
/// value is refused with the key named and nothing changes.
pub fn set(c: &Connection, key: &str, value: &str) -> Result<()> {
    let mut all = pairs(c)?;
    all.retain(|(k, _)| k != key);
    all.push((key.to_string(), value.to_string()));
    Settings::from_pairs(&all).map_err(|e| Error::invalid(key, e))?;
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// When the database was created (migration 3's `db_meta`), in unix
/// seconds; a database without the entry counts as created now.
pub fn db_created(c: &Connection) -> Result<i64> {
    let at: Option<String> = c
        .query_row(
            "SELECT value FROM db_meta WHERE key = 'created_at'",
            [],
            |r| super::text_col(r, 0),
        )
        .optional()?;
    let secs = at.and_then(|s| s.trim().parse::<i64>().ok());
    Ok(secs.unwrap_or_else(|| crate::clock::now().timestamp()))
}
