//! Standard scripts (R16): maintained by supervisors, read by every agent.
use crate::store::text_col;
use rusqlite::{Connection, params};

use crate::domain::script;
use crate::domain::script_file::ScriptDef;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub version: i64,
}

/// The scripts in one language ("zh" or "en"), in the order of the kinds.
pub fn list(c: &Connection, lang: &str) -> Result<Vec<Script>> {
    let mut st = c.prepare_cached(
        "SELECT key, kind, title, body, version FROM scripts WHERE lang = ?1 ORDER BY id",
    )?;
    let mut v: Vec<Script> = st
        .query_map([lang], |r| {
            Ok(Script {
                id: r.get(0)?,
                kind: text_col(r, 1)?,
                title: text_col(r, 2)?,
                body: text_col(r, 3)?,
                version: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    v.sort_by_key(|s| {
        script::KINDS
            .iter()
            .position(|k| *k == s.kind)
            .unwrap_or(usize::MAX)
    });
    Ok(v)
}

pub fn all(c: &Connection) -> Result<Vec<ScriptDef>> {
    let mut st =
        c.prepare_cached("SELECT key, kind, lang, title, body FROM scripts ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok((
            text_col(r, 0)?,
            text_col(r, 1)?,
            text_col(r, 2)?,
            text_col(r, 3)?,
            text_col(r, 4)?,
        ))
    })?;
    let mut defs: Vec<ScriptDef> = Vec::new();
    for row in rows {
        let (id, kind, lang, title, body) = row?;
        match defs.iter_mut().find(|d| d.id == id) {
            Some(d) => d.texts.push((lang, title, body)),
            None => defs.push(ScriptDef {
                id,
                kind,
                texts: vec![(lang, title, body)],
            }),
        }
    }
    Ok(defs)
}

/// Adds or updates each script; a changed text gets a new version. Returns
/// how many texts changed. Scripts not in `defs` are kept.
pub fn import(c: &Connection, defs: &[ScriptDef], now: i64) -> Result<usize> {
    let mut changed = 0;
    let mut st = c.prepare_cached(
        "INSERT INTO scripts (key, kind, lang, version, title, body, updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6)
         ON CONFLICT(key, lang) DO UPDATE SET kind = excluded.kind, title = excluded.title, body = excluded.body,
             version = version + 1, updated_at = excluded.updated_at
         WHERE scripts.title <> excluded.title OR scripts.body <> excluded.body OR scripts.kind <> excluded.kind",
    )?;
    for d in defs {
        for (lang, title, body) in &d.texts {
            changed += st.execute(params![d.id, d.kind, lang, title, body, now])?;
        }
    }
    Ok(changed)
}

pub fn defaults() -> Vec<ScriptDef> {
    script::DEFAULTS
        .iter()
        .map(|(id, kind, zt, zb, et, eb)| ScriptDef {
            id: id.to_string(),
            kind: kind.to_string(),
            texts: vec![
                ("zh".into(), zt.to_string(), zb.to_string()),
                ("en".into(), et.to_string(), eb.to_string()),
            ],
        })
        .collect()
}
