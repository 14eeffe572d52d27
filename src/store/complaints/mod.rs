//! Complaints: registration (R1), duplicate reports (R5), transitions,
//! severity (R4), reclassification (R3), claiming (R7), major
//! acknowledgement (R12). Every change leaves a `complaint_events` row.
use crate::domain::access::{self, Permission};
use crate::store::{opt_text_col, text_col};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{agents, customers, found};
use crate::domain::intake::{Complainant, NewComplaint};
use crate::domain::model::{Role, Severity, Status};
use crate::domain::settings::Settings;
use crate::domain::sla::{self, Clock};
use crate::domain::status::{self, Transition};
use crate::domain::{number, severity};
use crate::error::{Error, Result};

mod register;
mod similar;

pub use register::{Registered, register};
pub use similar::{CategoryRow, Similar, SimilarQuery, categories, similar_open};

/// Who acts: `None` for outside programs (IVR, gateways).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: Option<i64>,
    pub role: Role,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        id: None,
        role: Role::Admin,
    };
}

use crate::domain::instant;

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// Looks a category up by code or by its Chinese or English name.
pub fn category_id(c: &Connection, name: &str) -> Result<i64> {
    let id = c
        .prepare_cached(
            "SELECT id FROM categories WHERE active = 1
             AND (code = ?1 OR name_zh = ?1 OR lower(name_en) = lower(?1)) ORDER BY id LIMIT 1",
        )?
        .query_row([name], |r| r.get(0))
        .optional()?;
    id.ok_or_else(|| Error::invalid("category", format!("unknown category {name:?}")))
}

/// A complaint's id from its number (`C20261122-0007`).
pub fn id_by_number(c: &Connection, number: &str) -> Result<i64> {
    found(
        c.prepare_cached("SELECT id FROM complaints WHERE number = ?1")?
            .query_row([number], |r| r.get(0)),
        || format!("complaint {number}"),
    )
}

pub fn event(
    c: &Connection,
    complaint: i64,
    at: i64,
    agent: Option<i64>,
    kind: &str,
    (old, new): (Option<&str>, Option<&str>),
    note: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, at, agent_id, kind, old, new, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![complaint, at, agent, kind, old, new, note])?;
    Ok(())
}

fn status_of(c: &Connection, id: i64) -> Result<Status> {
    let s: String = found(
        c.query_row("SELECT status FROM complaints WHERE id = ?1", [id], |r| {
            r.get(0)
        }),
        || format!("complaint #{id}"),
    )?;
    s.parse().map_err(Error::Database)
}

/// Moves a complaint through the state machine; stamps the clock each step
/// meets (first response on start, solution on resolve, close on close).
pub fn transition(
    c: &Connection,
    id: i64,
    t: Transition,
    by: Actor,
    now: i64,
    note: &str,
) -> Result<Status> {
    let from = status_of(c, id)?;
    let to = status::apply(from, t).map_err(|e| Error::invalid("status", e))?;
    let extra = match t {
        Transition::Start => "fr_at = coalesce(fr_at, ?3)",
        Transition::Resolve => {
            "fr_at = coalesce(fr_at, ?3), sol_at = coalesce(sol_at, ?3), resolved_at = ?3"
        }
        Transition::Close => "closed_at = ?3",
        Transition::Reopen => "closed_at = NULL, resolved_at = NULL",
    };
    // The SET fragment is one of the fixed strings above; values are bound.
    let sql = format!(
        "UPDATE complaints SET status = ?2, {extra}, updated_at = ?3, version = version + 1 WHERE id = ?1"
    );
    c.execute(&sql, params![id, to.code(), now])?;
    event(
        c,
        id,
        now,
        by.id,
        "status",
        (Some(from.code()), Some(to.code())),
        note,
    )?;
    Ok(to)
}

/// R4: raise (anyone) or lower (supervisor and up) severity; becoming major
/// starts the R12 report clock. Returns the severity it had, so a caller
/// can say which way it went.
pub fn change_severity(
    c: &Connection,
    id: i64,
    to: Severity,
    by: Actor,
    s: &Settings,
    now: i64,
) -> Result<Severity> {
    let now = instant(now);
    let from: String = found(
        c.query_row("SELECT severity FROM complaints WHERE id = ?1", [id], |r| {
            r.get(0)
        }),
        || format!("complaint #{id}"),
    )?;
    let from: Severity = from.parse().map_err(Error::Database)?;
    severity::may_change(by.role, from, to).map_err(Error::Denied)?;
    c.execute(
        "UPDATE complaints SET severity = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, to.code(), ts(now)],
    )?;
    if to == Severity::Major {
        let k = sla::clock(s.major_report, now, &s.calendar, s.at_risk_percent);
        c.execute(
            "UPDATE complaints SET ack_risk = ?2, ack_due = ?3 WHERE id = ?1 AND ack_due IS NULL",
            params![id, ts(k.risk_at), ts(k.due)],
        )?;
    }
    event(
        c,
        id,
        ts(now),
        by.id,
        "severity",
        (Some(from.code()), Some(to.code())),
        "",
    )?;
    Ok(from)
}

/// R3: correct the category; the old one stays in the history.
pub fn reclassify(
    c: &Connection,
    id: i64,
    category: &str,
    by: Actor,
    now: i64,
    note: &str,
) -> Result<()> {
    let new_id = category_id(c, category)?;
    let old: String = found(
        c.query_row(
            "SELECT k.code FROM complaints x JOIN categories k ON k.id = x.category_id WHERE x.id = ?1",
            [id],
            |r| r.get(0),
        ),
        || format!("complaint #{id}"),
    )?;
    let new: String = c.query_row("SELECT code FROM categories WHERE id = ?1", [new_id], |r| {
        r.get(0)
    })?;
    if old == new {
        return Err(Error::invalid("category", format!("already {new}")));
    }
    c.execute(
        "UPDATE complaints SET category_id = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, new_id, now],
    )?;
    event(
        c,
        id,
        now,
        by.id,
        "category",
        (Some(&old), Some(&new)),
        note,
    )
}

/// R7: claim atomically. The conditional UPDATE runs under the write lock,
/// so of two agents claiming at once exactly one changes the row; the
/// other is told who has it.
pub fn claim(c: &Connection, id: i64, agent: i64, now: i64) -> Result<()> {
    let n = c.execute(
        "UPDATE complaints SET assignee_id = ?2, updated_at = ?3, version = version + 1
         WHERE id = ?1 AND assignee_id IS NULL AND status <> 'closed'",
        params![id, agent, now],
    )?;
    if n == 1 {
        let name = agents::name_of(c, agent)?.unwrap_or_default();
        return event(c, id, now, Some(agent), "assigned", (None, Some(&name)), "");
    }
    let (holder, st): (Option<i64>, String) = found(
        c.query_row(
            "SELECT assignee_id, status FROM complaints WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
        || format!("complaint #{id}"),
    )?;
    match holder {
        Some(h) if h == agent => Ok(()),
        Some(h) => Err(Error::Conflict {
            by: agents::name_of(c, h)?.unwrap_or_else(|| format!("agent #{h}")),
        }),
        None => Err(Error::invalid("status", format!("complaint is {st}"))),
    }
}

/// Supervisor and up: hand a complaint to another agent (R33 uses this too).
pub fn reassign(c: &Connection, id: i64, to: i64, by: Actor, now: i64, note: &str) -> Result<()> {
    access::check(by.role, Permission::Reassign).map_err(|r| Error::Denied(r.to_string()))?;
    assign(c, id, to, by, now, note)
}

/// Sets the assignee and records who had it before. Callers check who may.
pub(crate) fn assign(
    c: &Connection,
    id: i64,
    to: i64,
    by: Actor,
    now: i64,
    note: &str,
) -> Result<()> {
    let old: Option<i64> = found(
        c.query_row(
            "SELECT assignee_id FROM complaints WHERE id = ?1",
            [id],
            |r| r.get(0),
        ),
        || format!("complaint #{id}"),
    )?;
    agents::by_id(c, to)?;
    c.execute(
        "UPDATE complaints SET assignee_id = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
        params![id, to, now],
    )?;
    let old = match old {
        Some(o) => agents::name_of(c, o)?,
        None => None,
    };
    let new = agents::name_of(c, to)?.unwrap_or_default();
    event(
        c,
        id,
        now,
        by.id,
        "assigned",
        (old.as_deref(), Some(&new)),
        note,
    )
}

/// R22: resolved complaints that need no callback (or whose callback
/// failed, R20) close by themselves after the quiet period, unless the
/// problem came back: a report attached, or the same customer complaining
/// in the same category, since resolution. One UPDATE under the write lock,
/// so when many processes run it at once each complaint closes once.
pub fn auto_close(c: &Connection, s: &Settings, now: i64) -> Result<Vec<i64>> {
    let quiet = now - i64::from(s.auto_close_days) * 86_400;
    let ids: Vec<i64> = c
        .prepare_cached(
            "UPDATE complaints SET status = 'closed', closed_at = ?1, updated_at = ?1, version = version + 1
             WHERE status = 'resolved' AND resolved_at <= ?2
               AND (no_callback = 1
                    OR (EXISTS (SELECT 1 FROM callbacks b WHERE b.complaint_id = complaints.id AND b.status = 'failed')
                        AND NOT EXISTS (SELECT 1 FROM callbacks b WHERE b.complaint_id = complaints.id
                                        AND b.status = 'pending')))
               AND NOT EXISTS (SELECT 1 FROM complaint_reports r
                               WHERE r.complaint_id = complaints.id AND r.received_at > complaints.resolved_at)
               AND NOT EXISTS (SELECT 1 FROM complaints y
                               WHERE complaints.customer_id IS NOT NULL AND y.customer_id = complaints.customer_id
                                 AND y.category_id = complaints.category_id AND y.id <> complaints.id
                                 AND y.registered_at > complaints.resolved_at)
             RETURNING id",
        )?
        .query_map(params![now, quiet], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        event(
            c,
            *id,
            now,
            None,
            "status",
            (Some("resolved"), Some("closed")),
            "auto-close (R22)",
        )?;
    }
    Ok(ids)
}

/// R12: a supervisor acknowledges a major complaint.
pub fn acknowledge_major(c: &Connection, id: i64, by: Actor, now: i64) -> Result<()> {
    access::check(by.role, Permission::AcknowledgeMajor)
        .map_err(|r| Error::Denied(format!("{r} (R12)")))?;
    let n = c.execute(
        "UPDATE complaints SET ack_at = ?2, ack_by = ?3, version = version + 1
         WHERE id = ?1 AND severity = 'major' AND ack_at IS NULL",
        params![id, now, by.id],
    )?;
    if n == 0 {
        return Err(Error::invalid(
            "severity",
            "not an unacknowledged major complaint",
        ));
    }
    event(c, id, now, by.id, "acknowledged", (None, None), "")
}

/// Gives a complaint the agent holds back to the pool (the agent claimed it
/// only to read it, say). Only the holder may; the history records it.
pub fn release(c: &Connection, id: i64, agent: i64, now: i64) -> Result<()> {
    let n = c.execute(
        "UPDATE complaints SET assignee_id = NULL, updated_at = ?3, version = version + 1
         WHERE id = ?1 AND assignee_id = ?2 AND status <> 'closed'",
        params![id, agent, now],
    )?;
    if n == 0 {
        return Err(Error::invalid("assignee", "you do not hold this complaint"));
    }
    let name = agents::name_of(c, agent)?.unwrap_or_default();
    event(c, id, now, Some(agent), "released", (Some(&name), None), "")
}

/// R4: records why a complaint became major (one of `MAJOR_REASONS`).
pub fn add_major_reason(c: &Connection, id: i64, reason: &str, by: Actor, now: i64) -> Result<()> {
    if !crate::domain::severity::MAJOR_REASONS.contains(&reason) {
        return Err(Error::invalid(
            "major_reasons",
            format!("unknown major reason {reason:?}"),
        ));
    }
    let old: String = found(
        c.query_row(
            "SELECT major_reasons FROM complaints WHERE id = ?1",
            [id],
            |r| r.get(0),
        ),
        || format!("complaint #{id}"),
    )?;
    let mut all: Vec<&str> = old.split(',').filter(|s| !s.is_empty()).collect();
    if !all.contains(&reason) {
        all.push(reason);
    }
    c.execute(
        "UPDATE complaints SET major_reasons = ?2 WHERE id = ?1",
        params![id, all.join(",")],
    )?;
    event(c, id, now, by.id, "major_reason", (None, Some(reason)), "")
}

/// What an open call screen compares against to notice a change made
/// elsewhere: the row's version, status, holder and merge target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub version: i64,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
}

pub fn state(c: &Connection, id: i64) -> Result<State> {
    found(
        c.query_row(
            "SELECT x.version, x.status, x.assignee_id, a.name FROM complaints x
             LEFT JOIN agents a ON a.id = x.assignee_id WHERE x.id = ?1",
            [id],
            |r| {
                Ok(State {
                    version: r.get(0)?,
                    status: r.get(1)?,
                    assignee_id: r.get(2)?,
                    assignee_name: r.get(3)?,
                })
            },
        ),
        || format!("complaint #{id}"),
    )
}
