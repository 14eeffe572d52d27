//! `hotline init`: the defaults a new database starts with.
use rusqlite::{Connection, OptionalExtension, params};

use super::{agents, settings};
use crate::domain::category;
use crate::domain::model::Role;
use crate::error::Result;

/// Writes categories (R3), settings (R9-R14, R19-R26), outcome codes (R17),
/// standard scripts (R16) and the first admin,
/// skipping whatever already exists, so running it again changes nothing.
pub fn defaults(c: &Connection, tz: &str, admin_login: &str, now: i64) -> Result<()> {
    settings::insert_defaults(c, tz)?;
    for (i, (code, parent, zh, en)) in category::DEFAULTS.iter().enumerate() {
        let parent_id: Option<i64> = match parent {
            Some(p) => c
                .query_row("SELECT id FROM categories WHERE code = ?1", [p], |r| {
                    r.get(0)
                })
                .optional()?,
            None => None,
        };
        c.execute(
            "INSERT OR IGNORE INTO categories (code, parent_id, name_zh, name_en, sort)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code, parent_id, zh, en, i as i64],
        )?;
    }
    for (i, (code, effect, key, zh, en)) in crate::domain::outcome::DEFAULT_CODES.iter().enumerate()
    {
        c.execute(
            "INSERT OR IGNORE INTO outcome_codes (code, effect, key, label_zh, label_en, sort)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![code, effect.code(), key, zh, en, i as i64],
        )?;
    }
    let have_scripts: i64 = c.query_row("SELECT count(*) FROM scripts", [], |r| r.get(0))?;
    if have_scripts == 0 {
        super::scripts::import(c, &super::scripts::defaults(), now)?;
    }
    if agents::by_login(c, admin_login).is_err() {
        agents::create(c, admin_login, admin_login, Role::Admin, now)?;
    }
    Ok(())
}
