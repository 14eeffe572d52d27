//! `hotline init`: the defaults a new database starts with.
use rusqlite::{Connection, OptionalExtension, params};

use super::{agents, settings};
use crate::domain::category;
use crate::domain::model::Role;
use crate::error::Result;

/// Writes categories (R3), settings (R9-R14, R19-R26), outcome codes (R17),
/// standard scripts (R16) and, on a database without agents, the first
/// admin (audited), skipping whatever already exists, so running it again
/// changes nothing and never makes anyone an admin. Returns whether the
/// first admin was created.
pub fn defaults(c: &Connection, tz: &str, admin_login: &str, now: i64) -> Result<bool> {
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
    if !agents::none_yet(c)? {
        return Ok(false);
    }
    let id = agents::create(c, admin_login, admin_login, Role::Admin, now)?;
    let entry = super::audit::Entry {
        agent_id: Some(id),
        agent_login: admin_login,
        action: "agent_added",
        entity: "agent",
        entity_id: Some(id),
        purpose: "init: first admin",
        detail: Role::Admin.code(),
    };
    super::audit::append(c, &entry, now)?;
    Ok(true)
}
