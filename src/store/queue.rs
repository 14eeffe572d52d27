//! What the live queue (R6) shows: open complaints and pending callbacks,
//! with everything a row, the detail pane and the order need. Badges and
//! order are computed from these rows by `domain::queue` for a given time.
use crate::store::{opt_text_col, text_col};
use rusqlite::{Connection, params};

use crate::domain::model::{CallbackPurpose, CustomerClass, Role, Severity, Status};
use crate::domain::queue::{Item, ItemKind, StoredClock};
use crate::domain::sla;
use crate::error::Result;

fn parse<T: std::str::FromStr>(s: &str, fallback: T) -> T {
    s.parse().unwrap_or(fallback)
}

const COMPLAINTS: &str = "
SELECT x.id, x.number, x.severity, x.status, x.subject, x.customer_id,
       coalesce(cu.name, x.complainant_name), x.complainant_phone, coalesce(cu.class, 'c'),
       coalesce(cu.confidential, 0), x.anonymous, k.name_zh, k.name_en, x.received_at,
       x.assignee_id, coalesce(a.name, ''), x.channel, x.complainant_count,
       x.fr_risk, x.fr_due, x.fr_at, x.sol_risk, x.sol_due, x.sol_at,
       x.close_risk, x.close_due, x.closed_at, x.ack_risk, x.ack_due, x.ack_at, x.version
FROM complaints x
JOIN categories k ON k.id = x.category_id
LEFT JOIN customers cu ON cu.id = x.customer_id
LEFT JOIN agents a ON a.id = x.assignee_id
WHERE x.status <> 'closed'";

/// Pending callbacks due before `horizon` (end of today) that this role
/// may make: its own, its role's, or anyone's, or all for supervisors.
/// The first ten columns match `COMPLAINTS` (read by [`base`]).
const CALLBACKS: &str = "
SELECT b.id, x.number, x.severity, x.status, x.subject, b.customer_id,
       coalesce(cu.name, x.complainant_name), x.complainant_phone, coalesce(cu.class, 'c'),
       coalesce(cu.confidential, 0), b.purpose, b.due_at, b.assignee_id, coalesce(a.name, ''),
       b.assignee_role, b.attempts, b.max_attempts, x.id, x.received_at, b.version, x.channel,
       CASE WHEN b.attempts > 0 THEN b.updated_at ELSE b.created_at END
FROM callbacks b
JOIN complaints x ON x.id = b.complaint_id
LEFT JOIN customers cu ON cu.id = b.customer_id
LEFT JOIN agents a ON a.id = b.assignee_id
WHERE b.status = 'pending' AND b.due_at <= ?1
  AND (?2 >= 1 OR b.assignee_id = ?3 OR b.assignee_role = ?4
       OR (b.assignee_id IS NULL AND b.assignee_role IS NULL))";

/// The columns both queries share, with neutral values for the rest.
fn base(r: &rusqlite::Row<'_>, kind: ItemKind) -> rusqlite::Result<Item> {
    Ok(Item {
        number: text_col(r, 1)?,
        severity: parse(&text_col(r, 2)?, Severity::General),
        status: parse(&text_col(r, 3)?, Status::New),
        subject: text_col(r, 4)?,
        customer_id: r.get(5)?,
        customer_name: text_col(r, 6)?,
        phone: text_col(r, 7)?,
        class: parse(&text_col(r, 8)?, CustomerClass::C),
        confidential: r.get(9)?,
        ..Item::new(kind, r.get(0)?)
    })
}

/// Loads every queue item visible to `agent` with `role`.
/// `at_risk_percent` (R14) places each callback's at-risk instant.
pub fn load(
    c: &Connection,
    agent: i64,
    role: Role,
    horizon: i64,
    at_risk_percent: u8,
) -> Result<Vec<Item>> {
    let mut items = open_complaints(c)?;
    items.extend(callbacks(c, agent, role, horizon, at_risk_percent)?);
    Ok(items)
}

/// The open complaints as one connection last read them. They are the same
/// for every agent (what each may see of them is decided when shown, R30),
/// so a server's sessions share one read per change instead of 200: the
/// copy is kept until anything is committed, by this connection
/// (`total_changes`) or any other (`PRAGMA data_version`).
#[derive(Default)]
pub struct Cache {
    held: Option<((i64, u64), Vec<Item>)>,
}

impl super::Db {
    /// [`load`] for one agent, the open complaints from the [`Cache`].
    pub fn queue(&mut self, agent: i64, role: Role, horizon: i64) -> Result<Vec<Item>> {
        let mut cache = std::mem::take(&mut self.queue_cache);
        let r = self.read_with_settings(|c, s| {
            let version: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
            let stamp = (version, c.total_changes());
            let mut items = match &cache.held {
                Some((held, items)) if *held == stamp => items.clone(),
                _ => {
                    let items = open_complaints(c)?;
                    cache.held = Some((stamp, items.clone()));
                    items
                }
            };
            items.extend(callbacks(c, agent, role, horizon, s.at_risk_percent)?);
            Ok(items)
        });
        self.queue_cache = cache;
        r
    }
}

fn open_complaints(c: &Connection) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut st = c.prepare_cached(COMPLAINTS)?;
    let rows = st.query_map([], |r| {
        let clock = |i: usize| -> rusqlite::Result<Option<StoredClock>> {
            let risk: Option<i64> = r.get(i)?;
            let due: Option<i64> = r.get(i + 1)?;
            Ok(match (risk, due) {
                (Some(risk), Some(due)) => Some(StoredClock {
                    risk,
                    due,
                    met: r.get(i + 2)?,
                }),
                _ => None,
            })
        };
        Ok(Item {
            anonymous: r.get(10)?,
            category_zh: text_col(r, 11)?,
            category_en: text_col(r, 12)?,
            received_at: r.get(13)?,
            assignee_id: r.get(14)?,
            assignee_name: text_col(r, 15)?,
            channel: text_col(r, 16)?,
            complainant_count: r.get(17)?,
            first_response: clock(18)?,
            solution: clock(21)?,
            close: clock(24)?,
            major_ack: clock(27)?,
            version: r.get(30)?,
            ..base(r, ItemKind::Complaint)?
        })
    })?;
    for row in rows {
        items.push(row?);
    }
    Ok(items)
}

/// The due callbacks `agent` works on (all of them for a role that sees
/// every callback).
fn callbacks(
    c: &Connection,
    agent: i64,
    role: Role,
    horizon: i64,
    at_risk_percent: u8,
) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut st = c.prepare_cached(CALLBACKS)?;
    let sees_all = i64::from(crate::domain::access::allows(
        role,
        crate::domain::access::Permission::AnyCallback,
    ));
    let rows = st.query_map(params![horizon, sees_all, agent, role.code()], |r| {
        Ok(Item {
            purpose: Some(parse(&text_col(r, 10)?, CallbackPurpose::FollowUp)),
            callback_due: Some(r.get(11)?),
            callback_risk: {
                // R14: a retry's clock starts when the retry was set
                // (R20), not when the callback was first made.
                let (created, due): (i64, i64) = (r.get(21)?, r.get(11)?);
                Some(sla::callback_risk_at(created, due, at_risk_percent))
            },
            assignee_id: r.get(12)?,
            assignee_name: text_col(r, 13)?,
            assignee_role: opt_text_col(r, 14)?.and_then(|s| s.parse().ok()),
            attempts: (r.get(15)?, r.get(16)?),
            complaint_id: r.get(17)?,
            received_at: r.get(18)?,
            version: r.get(19)?,
            channel: text_col(r, 20)?,
            ..base(r, ItemKind::Callback)?
        })
    })?;
    for row in rows {
        items.push(row?);
    }
    Ok(items)
}

/// One event of a complaint's history, for the detail pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: i64,
    pub agent: String,
    pub kind: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub note: String,
}

/// What the detail pane shows beyond the row: description, history, and
/// the customer's other open complaints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    pub complaint_id: i64,
    pub description: String,
    pub history: Vec<HistoryEntry>,
    pub customer_open: i64,
    pub customer_total: i64,
}

pub fn detail(c: &Connection, complaint_id: i64) -> Result<Detail> {
    let (description, customer): (String, Option<i64>) = c
        .prepare_cached("SELECT description, customer_id FROM complaints WHERE id = ?1")?
        .query_row([complaint_id], |r| Ok((text_col(r, 0)?, r.get(1)?)))?;
    let mut st = c.prepare_cached(
        "SELECT e.at, coalesce(a.name, ''), e.kind, e.old, e.new, e.note
         FROM complaint_events e LEFT JOIN agents a ON a.id = e.agent_id
         WHERE e.complaint_id = ?1 ORDER BY e.at DESC, e.id DESC LIMIT 50",
    )?;
    let history = st
        .query_map([complaint_id], |r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                agent: text_col(r, 1)?,
                kind: text_col(r, 2)?,
                old: opt_text_col(r, 3)?,
                new: opt_text_col(r, 4)?,
                note: text_col(r, 5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (customer_open, customer_total) = match customer {
        Some(id) => c
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE status <> 'closed'), count(*) FROM complaints WHERE customer_id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?,
        None => (0, 0),
    };
    Ok(Detail {
        complaint_id,
        description,
        history,
        customer_open,
        customer_total,
    })
}
