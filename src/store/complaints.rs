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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: i64,
    pub number: String,
    /// R5: the report was attached to an existing complaint.
    pub attached: bool,
}

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

/// R1: registers a complaint whole, inside the caller's write transaction,
/// or (R5, `duplicate_of`) attaches the report to an open complaint.
pub fn register(
    c: &Connection,
    nc: &NewComplaint,
    by: Actor,
    s: &Settings,
    now: i64,
) -> Result<Registered> {
    let now = instant(now);
    crate::domain::intake::check_received_at(
        nc.received_at,
        now,
        instant(super::settings::db_created(c)?),
        s.intake_backfill_days,
    )?;
    let (customer_id, name, phone, address) = resolve_complainant(c, &nc.complainant, now)?;
    if let Some(target) = &nc.duplicate_of {
        let id = found(
            c.query_row(
                "SELECT id FROM complaints WHERE number = ?1",
                [target],
                |r| r.get(0),
            ),
            || format!("complaint {target}"),
        )
        .map_err(|_| Error::invalid("duplicate_of", format!("no complaint {target}")))?;
        attach_report(c, id, nc, customer_id, (&name, &phone), by, now)?;
        return Ok(Registered {
            id,
            number: target.clone(),
            attached: true,
        });
    }
    let category = category_id(c, &nc.category)?;
    let day = s.calendar.local_date(now);
    let seq: i64 = c
        .prepare_cached(
            "INSERT INTO number_seq (day, last) VALUES (?1, 1)
             ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row([number::day_key(day)], |r| r.get(0))?;
    let no = number::format(day, seq);
    let pct = s.at_risk_percent;
    let cal = &s.calendar;
    let fr = sla::clock(
        s.first_response_target(nc.channel),
        nc.received_at,
        cal,
        pct,
    );
    let sol = sla::clock(s.solution, now, cal, pct);
    let close = sla::clock(s.close, now, cal, pct);
    let ack: Option<Clock> =
        (nc.severity == Severity::Major).then(|| sla::clock(s.major_report, now, cal, pct));
    // R22: no callback for anonymous, no usable contact, or sensitive.
    let no_callback = customer_id.is_none() || phone.is_empty() || nc.sensitive;
    c.prepare_cached(
        "INSERT INTO complaints (number, customer_id, anonymous, complainant_name, complainant_phone,
            complainant_address, channel, category_id, severity, major_reasons, status, subject,
            description, sensitive, no_callback, received_at, registered_at, registered_by,
            updated_at, fr_risk, fr_due, sol_risk, sol_due, close_risk, close_due, ack_risk, ack_due)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'new', ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?16, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    )?
    .execute(params![
        no,
        customer_id,
        matches!(nc.complainant, Complainant::Anonymous),
        name,
        phone,
        address,
        nc.channel.code(),
        category,
        nc.severity.code(),
        nc.major_reasons.join(","),
        nc.subject,
        nc.description,
        nc.sensitive,
        no_callback,
        ts(nc.received_at),
        ts(now),
        by.id,
        ts(fr.risk_at),
        ts(fr.due),
        ts(sol.risk_at),
        ts(sol.due),
        ts(close.risk_at),
        ts(close.due),
        ack.map(|a| ts(a.risk_at)),
        ack.map(|a| ts(a.due)),
    ])?;
    let id = c.last_insert_rowid();
    insert_report(c, id, nc, customer_id, (&name, &phone), by)?;
    event(
        c,
        id,
        ts(now),
        by.id,
        "registered",
        (None, Some(nc.channel.code())),
        "",
    )?;
    Ok(Registered {
        id,
        number: no,
        attached: false,
    })
}

type Snapshot = (Option<i64>, String, String, String);

fn resolve_complainant(c: &Connection, who: &Complainant, now: DateTime<Utc>) -> Result<Snapshot> {
    let id = match who {
        Complainant::Anonymous => return Ok((None, String::new(), String::new(), String::new())),
        Complainant::Existing(id) => *id,
        Complainant::Customer(n) => match customers::find_match(c, n)? {
            Some(id) => id,
            None => customers::insert(c, n, ts(now))?,
        },
    };
    let (name, phone, address) = customers::contact_snapshot(c, id)?
        .ok_or_else(|| Error::invalid("customer_id", format!("no customer with id {id}")))?;
    Ok((Some(id), name, phone, address))
}

fn insert_report(
    c: &Connection,
    complaint: i64,
    nc: &NewComplaint,
    customer: Option<i64>,
    (name, phone): (&str, &str),
    by: Actor,
) -> Result<()> {
    let content = if nc.description.is_empty() {
        &nc.subject
    } else {
        &nc.description
    };
    c.prepare_cached(
        "INSERT INTO complaint_reports (complaint_id, received_at, channel, customer_id,
            complainant_name, complainant_phone, content, agent_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        complaint,
        ts(nc.received_at),
        nc.channel.code(),
        customer,
        name,
        phone,
        content,
        by.id
    ])?;
    Ok(())
}

/// R5: the same problem raised again is one complaint. The report keeps its
/// own time and channel; the complainant count goes up by one.
fn attach_report(
    c: &Connection,
    id: i64,
    nc: &NewComplaint,
    customer: Option<i64>,
    contact: (&str, &str),
    by: Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let st: String = c.query_row("SELECT status FROM complaints WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    if st == Status::Closed.code() {
        return Err(Error::invalid(
            "duplicate_of",
            "that complaint is closed; register a new one (it counts as a repeat, R4)",
        ));
    }
    insert_report(c, id, nc, customer, contact, by)?;
    let count: i64 = c.query_row(
        "UPDATE complaints SET complainant_count = complainant_count + 1, updated_at = ?2,
             version = version + 1 WHERE id = ?1 RETURNING complainant_count",
        params![id, ts(now)],
        |r| r.get(0),
    )?;
    let note = format!("{} {}", nc.channel.code(), nc.received_at.to_rfc3339());
    event(
        c,
        id,
        ts(now),
        by.id,
        "report_attached",
        (Some(&(count - 1).to_string()), Some(&count.to_string())),
        &note,
    )
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

/// An open complaint the new report may be a duplicate of (R5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Similar {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub status: String,
    pub registered_at: i64,
    pub complainant_count: i64,
    /// Why it is listed: "customer", "phone", "plate" or "address".
    pub reason: String,
}

/// What a new report is compared with (R5): the customer in hand, or a
/// new customer's phone, plate and address; the category; the subject's
/// key words (`domain::similar::subject_key`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimilarQuery {
    pub customer: Option<i64>,
    pub phone: Option<String>,
    pub category: Option<String>,
    pub subject_key: Option<String>,
    pub plate: Option<String>,
    pub address: Option<String>,
}

/// R5: the customer's open complaints, and open complaints in the same
/// category with the same phone, plate or address, or whose subject holds
/// the subject's key words.
pub fn similar_open(c: &Connection, q: &SimilarQuery) -> Result<Vec<Similar>> {
    let (customer, phone, category, subject_key) = (
        q.customer,
        q.phone.as_deref(),
        q.category.as_deref(),
        q.subject_key.as_deref(),
    );
    let (plates, address): (String, String) = match customer {
        Some(id) => c
            .query_row(
                "SELECT plates, address FROM customers WHERE id = ?1",
                [id],
                |r| Ok((text_col(r, 0)?, text_col(r, 1)?)),
            )
            .optional()?
            .unwrap_or_default(),
        // A new customer: what the form gives.
        None => (
            q.plate.clone().unwrap_or_default(),
            q.address.clone().unwrap_or_default(),
        ),
    };
    let plate = plates.split_whitespace().next().unwrap_or("");
    let cat = match category {
        Some(k) => category_id(c, k).ok(),
        None => None,
    };
    let mut st = c.prepare_cached(
        "SELECT x.id, x.number, x.subject, x.status, x.registered_at, x.complainant_count,
                CASE WHEN x.customer_id = ?1 THEN 'customer'
                     WHEN ?2 <> '' AND x.complainant_phone = ?2 THEN 'phone'
                     WHEN ?4 <> '' AND (' ' || coalesce(cu.plates, '') || ' ') LIKE '% ' || ?4 || ' %' THEN 'plate'
                     WHEN ?5 <> '' AND x.complainant_address = ?5 THEN 'address'
                     ELSE 'subject' END
         FROM complaints x LEFT JOIN customers cu ON cu.id = x.customer_id
         WHERE x.status <> 'closed'
           AND (x.customer_id = ?1
                -- the same category, its parent or its children: a problem
                -- is often filed one level apart
                OR (x.category_id IN (SELECT id FROM categories
                                      WHERE id = ?3 OR parent_id = ?3
                                         OR id = (SELECT parent_id FROM categories WHERE id = ?3))
                    AND (
                      (?2 <> '' AND x.complainant_phone = ?2)
                   OR (?4 <> '' AND (' ' || coalesce(cu.plates, '') || ' ') LIKE '% ' || ?4 || ' %')
                   OR (?5 <> '' AND x.complainant_address = ?5)
                   OR (?6 <> '' AND instr(lower(x.subject), ?6) > 0))))
         ORDER BY x.registered_at DESC LIMIT 20",
    )?;
    let rows = st.query_map(
        params![
            customer,
            phone.unwrap_or(""),
            cat,
            plate,
            address,
            subject_key.unwrap_or("")
        ],
        |r| {
            Ok(Similar {
                id: r.get(0)?,
                number: text_col(r, 1)?,
                subject: text_col(r, 2)?,
                status: text_col(r, 3)?,
                registered_at: r.get(4)?,
                complainant_count: r.get(5)?,
                reason: text_col(r, 6)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One category for pickers: (code, parent code, zh, en).
pub type CategoryRow = (String, Option<String>, String, String);

/// The category tree for pickers, in tree order.
pub fn categories(c: &Connection) -> Result<Vec<CategoryRow>> {
    let mut st = c.prepare_cached(
        "SELECT k.code, p.code, k.name_zh, k.name_en FROM categories k
         LEFT JOIN categories p ON p.id = k.parent_id WHERE k.active = 1 ORDER BY k.sort, k.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            text_col(r, 0)?,
            opt_text_col(r, 1)?,
            text_col(r, 2)?,
            text_col(r, 3)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
