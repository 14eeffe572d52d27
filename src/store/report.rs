//! What the monthly report (R28), the year-end list (R29) and the wallboard's
//! month figures count. Aggregates are done here in SQL (a month at 1M
//! complaints is ~80k rows); `domain::report` turns them into rates and
//! marks. A clock counts as `domain::report::clock_outcome` says: met on
//! time, breached (late, or past due and not met), else running, all as of
//! `as_of` (the month's end, or now for the month so far).
use rusqlite::{Connection, params};

use crate::domain::report::{
    self, ClockCounts, Count, Month, MonthCounts, OpenItem, Problem, Report, Subject,
};
use crate::domain::settings::Settings;
use crate::error::Result;

use super::audit;

/// Text from the database as every format may show it: read lossily
/// (`store::text_col`: one bad byte never fails a report, issue 11), then
/// control and invisible formatting characters removed
/// (`text::for_display`), so the JSON is as clean as the text and the HTML.
pub(crate) fn clean(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(crate::text::for_display(&super::text_col(r, i)?).into_owned())
}

fn counts(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Count>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(p, |r| {
        Ok(Count {
            key: clean(r, 0)?,
            zh: clean(r, 1)?,
            en: clean(r, 2)?,
            n: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The counts of one month. `full` adds the breakdowns by category,
/// severity and channel (the trend needs only the headline figures).
pub fn month_counts(c: &Connection, m: Month, as_of: i64, full: bool) -> Result<MonthCounts> {
    let (start, end) = (m.start, m.end);
    let clocks = c
        .prepare_cached(
            "SELECT count(*),
               coalesce(sum(coalesce(resolved_at, closed_at) <= ?3), 0),
               coalesce(sum(fr_at <= ?3 AND fr_at <= fr_due), 0),
               coalesce(sum((fr_at <= ?3 AND fr_at > fr_due) OR ((fr_at IS NULL OR fr_at > ?3) AND fr_due < ?3)), 0),
               coalesce(sum(sol_at <= ?3 AND sol_at <= sol_due), 0),
               coalesce(sum((sol_at <= ?3 AND sol_at > sol_due) OR ((sol_at IS NULL OR sol_at > ?3) AND sol_due < ?3)), 0),
               coalesce(sum(closed_at <= ?3 AND closed_at <= close_due), 0),
               coalesce(sum((closed_at <= ?3 AND closed_at > close_due) OR ((closed_at IS NULL OR closed_at > ?3) AND close_due < ?3)), 0),
               count(ack_due),
               coalesce(sum(ack_at <= ?3 AND ack_at <= ack_due), 0),
               coalesce(sum((ack_at <= ?3 AND ack_at > ack_due) OR (ack_due IS NOT NULL AND (ack_at IS NULL OR ack_at > ?3) AND ack_due < ?3)), 0)
             FROM complaints WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3",
        )?
        .query_row(params![start, end, as_of], |r| {
            let v: Vec<i64> = (0..11).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })?;
    let n = clocks[0];
    let clock = |met: i64, breached: i64, of: i64| {
        Some(ClockCounts {
            met,
            breached,
            running: of - met - breached,
        })
    };
    let cb: Vec<i64> = c
        .prepare_cached(
            "SELECT count(*), coalesce(sum(status = 'done'), 0), coalesce(sum(status = 'failed'), 0),
                    coalesce(sum(status = 'pending'), 0),
                    coalesce(sum(status = 'done' AND EXISTS (SELECT 1 FROM contacts t
                        WHERE t.callback_id = b.id AND t.survey_score IS NOT NULL)), 0)
             FROM callbacks b
             WHERE b.due_at >= ?1 AND b.due_at < ?2 AND b.due_at < ?3 AND b.status <> 'cancelled'",
        )?
        .query_row(params![start, end, as_of], |r| {
            (0..5).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()
        })?;
    let (scores, score_sum): (i64, i64) = c
        .prepare_cached(
            "SELECT count(*), coalesce(sum(survey_score), 0) FROM contacts
             WHERE survey_score IS NOT NULL AND started_at >= ?1 AND started_at < ?2 AND started_at < ?3",
        )?
        .query_row(params![start, end, as_of], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut out = MonthCounts {
        complaints: n,
        resolved: clocks[1],
        clocks: [
            clock(clocks[2], clocks[3], n),
            clock(clocks[4], clocks[5], n),
            clock(clocks[6], clocks[7], n),
            clock(clocks[9], clocks[10], clocks[8]),
        ],
        callbacks_due: cb[0],
        callbacks_done: cb[1],
        callbacks_failed: cb[2],
        callbacks_pending: cb[3],
        surveys_completed: cb[4],
        scores,
        score_sum,
        ..Default::default()
    };
    if full {
        let p = params![start, end, as_of];
        out.by_category = counts(
            c,
            "SELECT k.code, k.name_zh, k.name_en, n FROM (
                SELECT category_id, count(*) AS n FROM complaints
                WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3
                GROUP BY category_id)
             JOIN categories k ON k.id = category_id ORDER BY n DESC, k.sort, k.code",
            p,
        )?;
        out.by_severity = counts(
            c,
            "SELECT severity, severity, severity, count(*) FROM complaints
             WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3
             GROUP BY severity
             ORDER BY CASE severity WHEN 'major' THEN 0 WHEN 'important' THEN 1 ELSE 2 END",
            p,
        )?;
        out.by_channel = counts(
            c,
            "SELECT channel, channel, channel, count(*) FROM complaints
             WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3
             GROUP BY channel ORDER BY count(*) DESC, channel",
            p,
        )?;
    }
    Ok(out)
}

/// The ten categories with most complaints in the month, each with its
/// three commonest subjects.
pub fn top_problems(c: &Connection, m: Month, as_of: i64) -> Result<Vec<Problem>> {
    let cats = counts(
        c,
        "SELECT k.code, k.name_zh, k.name_en, n FROM (
            SELECT category_id, count(*) AS n FROM complaints
            WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3
            GROUP BY category_id)
         JOIN categories k ON k.id = category_id ORDER BY n DESC, k.sort, k.code LIMIT 10",
        params![m.start, m.end, as_of],
    )?;
    let mut st = c.prepare_cached(
        "SELECT k.code, s, n FROM (
            SELECT category_id, subject AS s, count(*) AS n,
                   row_number() OVER (PARTITION BY category_id ORDER BY count(*) DESC, subject) AS rn
            FROM complaints WHERE registered_at >= ?1 AND registered_at < ?2 AND registered_at < ?3
            GROUP BY category_id, subject)
         JOIN categories k ON k.id = category_id WHERE rn <= 3 ORDER BY k.code, n DESC, s",
    )?;
    let rows = st.query_map(params![m.start, m.end, as_of], |r| {
        Ok((clean(r, 0)?, clean(r, 1)?, r.get(2)?))
    })?;
    let mut subjects: Vec<(String, String, i64)> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(cats
        .into_iter()
        .map(|cat| {
            let mine = subjects
                .iter_mut()
                .filter(|(k, _, _)| *k == cat.key)
                .map(|(_, s, n)| Subject {
                    subject: std::mem::take(s),
                    n: *n,
                })
                .collect();
            Problem {
                category: cat,
                subjects: mine,
            }
        })
        .collect())
}

/// Complaints registered before `at` and not closed at `at`, oldest
/// first, with their age at `at` and the last thing that happened to them.
pub fn open_at(c: &Connection, at: i64) -> Result<Vec<OpenItem>> {
    let cols = "x.number, k.name_zh, k.name_en, x.severity, x.status, coalesce(a.name, ''),
                x.subject, x.registered_at,
                coalesce((SELECT e.kind FROM complaint_events e WHERE e.complaint_id = x.id
                          AND e.at <= ?1 ORDER BY e.at DESC, e.id DESC LIMIT 1), 'registered'),
                coalesce((SELECT max(e.at) FROM complaint_events e WHERE e.complaint_id = x.id
                          AND e.at <= ?1), x.registered_at)
         FROM complaints x JOIN categories k ON k.id = x.category_id
         LEFT JOIN agents a ON a.id = x.assignee_id";
    let sql = format!(
        // Two index walks: still open now (the partial index; `+` keeps
        // the planner off the registered_at index), and closed after the
        // instant (by closed_at).
        "SELECT {cols} WHERE x.status <> 'closed' AND +x.registered_at < ?1
         UNION ALL
         SELECT {cols} WHERE x.closed_at >= ?1 AND x.registered_at < ?1
         ORDER BY 8, 1"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![at], |r| {
        let registered_at: i64 = r.get(7)?;
        Ok(OpenItem {
            number: clean(r, 0)?,
            category_zh: clean(r, 1)?,
            category_en: clean(r, 2)?,
            severity: clean(r, 3)?,
            status: clean(r, 4)?,
            assignee: clean(r, 5)?,
            subject: clean(r, 6)?,
            registered_at,
            age_days: report::age_days(registered_at, at),
            last_action: r.get(8)?,
            last_action_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The whole monthly report for `m`, counted as of its end (or now).
pub fn monthly(c: &Connection, s: &Settings, m: Month, now: i64) -> Result<Report> {
    let tz = s.calendar.tz;
    let as_of = report::as_of(m, now);
    let counts = month_counts(c, m, as_of, true)?;
    let mut history = Vec::new();
    let mut p = m;
    for _ in 0..5 {
        match p.prev(tz) {
            Some(prev) => p = prev,
            None => break,
        }
        history.push((p, month_counts(c, p, p.end, false)?));
    }
    history.reverse();
    let top = top_problems(c, m, as_of)?;
    let open = open_at(c, as_of)?;
    Ok(report::build(m, counts, &history, top, open, s, now))
}

const PRODUCED: &str = "monthly_report";

/// R28: producing a report is recorded in the audit log (month as id).
pub fn record_produced(
    c: &Connection,
    agent_id: i64,
    login: &str,
    m: Month,
    format: &str,
    now: i64,
) -> Result<()> {
    audit::append(
        c,
        &audit::Entry {
            agent_id: Some(agent_id),
            agent_login: login,
            action: "produce",
            entity: PRODUCED,
            entity_id: Some(m.id()),
            purpose: "R28",
            detail: format,
        },
        now,
    )
}

/// Whether the report for `m` has been produced (R28 reminder).
pub fn produced(c: &Connection, m: Month) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM audit WHERE entity = ?1 AND entity_id = ?2)",
    )?
    .query_row(params![PRODUCED, m.id()], |r| r.get(0))?)
}
