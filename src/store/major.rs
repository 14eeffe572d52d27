//! R32: major complaints with their full history, for the separate file.
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::Result;

use super::report::clean;

/// One thing that happened to a complaint: a transition or change
/// (`complaint_events`), a report of it (R5), a contact, a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub at: i64,
    pub kind: String,
    pub by: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Major {
    pub number: String,
    pub registered_at: i64,
    pub channel: String,
    pub category_zh: String,
    pub category_en: String,
    pub status: String,
    pub major_reasons: String,
    pub subject: String,
    pub description: String,
    pub complainant: String,
    pub complainant_count: i64,
    pub assignee: String,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: String,
    pub history: Vec<Entry>,
}

/// Major complaints registered in `[from, to)`, oldest first.
pub fn list(c: &Connection, from: i64, to: i64) -> Result<Vec<Major>> {
    let mut st = c.prepare_cached(
        "SELECT x.id, x.number, x.registered_at, x.channel, k.name_zh, k.name_en, x.status,
                x.major_reasons, x.subject, x.description,
                coalesce(cu.name, x.complainant_name), x.complainant_count,
                coalesce(a.name, ''), x.ack_at, coalesce(b.name, '')
         FROM complaints x JOIN categories k ON k.id = x.category_id
         LEFT JOIN customers cu ON cu.id = x.customer_id
         LEFT JOIN agents a ON a.id = x.assignee_id
         LEFT JOIN agents b ON b.id = x.ack_by
         WHERE x.severity = 'major' AND x.registered_at >= ?1 AND x.registered_at < ?2
         ORDER BY x.registered_at, x.id",
    )?;
    let rows = st.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Major {
                number: clean(r, 1)?,
                registered_at: r.get(2)?,
                channel: clean(r, 3)?,
                category_zh: clean(r, 4)?,
                category_en: clean(r, 5)?,
                status: clean(r, 6)?,
                major_reasons: clean(r, 7)?,
                subject: clean(r, 8)?,
                description: clean(r, 9)?,
                complainant: clean(r, 10)?,
                complainant_count: r.get(11)?,
                assignee: clean(r, 12)?,
                acknowledged_at: r.get(13)?,
                acknowledged_by: clean(r, 14)?,
                history: Vec::new(),
            },
        ))
    })?;
    let mut out: Vec<(i64, Major)> = rows.collect::<rusqlite::Result<_>>()?;
    let mut hist = c.prepare_cached(
        "SELECT e.at, 'event:' || e.kind, coalesce(a.name, ''),
                trim(coalesce(e.old, '') || ' → ' || coalesce(e.new, '') || ' ' || e.note)
         FROM complaint_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.complaint_id = ?1
         UNION ALL
         SELECT r.received_at, 'report:' || r.channel, coalesce(a.name, ''),
                trim(r.complainant_name || ' ' || r.content)
         FROM complaint_reports r LEFT JOIN agents a ON a.id = r.agent_id WHERE r.complaint_id = ?1
         UNION ALL
         SELECT t.started_at, 'contact:' || t.direction, coalesce(a.name, ''),
                trim(coalesce(t.outcome, '') || ' ' || t.notes ||
                     coalesce(' score ' || t.survey_score, ''))
         FROM contacts t LEFT JOIN agents a ON a.id = t.agent_id WHERE t.complaint_id = ?1
         UNION ALL
         SELECT b.created_at, 'callback:' || b.purpose, coalesce(a.name, coalesce(b.assignee_role, '')),
                b.status || ' due ' || b.due_at || ' attempts ' || b.attempts || ' ' || b.note
         FROM callbacks b LEFT JOIN agents a ON a.id = b.assignee_id WHERE b.complaint_id = ?1
         ORDER BY 1, 2",
    )?;
    for (id, m) in &mut out {
        let rows = hist.query_map(params![*id], |r| {
            Ok(Entry {
                at: r.get(0)?,
                kind: r.get(1)?,
                by: clean(r, 2)?,
                detail: clean(r, 3)?,
            })
        })?;
        m.history = rows.collect::<rusqlite::Result<_>>()?;
    }
    Ok(out.into_iter().map(|(_, m)| m).collect())
}
