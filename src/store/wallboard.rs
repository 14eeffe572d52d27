//! What the wallboard (R27) reads besides the supervisor's queue items:
//! agents and their calls today, failed callbacks today, intake per hour
//! for yesterday and today, per day for 30 days, and this month's R26
//! figures. `domain::wallboard::compute` turns them into the board.
use rusqlite::{Connection, params};

use crate::domain::report::{self, Month};
use crate::domain::settings::Settings;
use crate::domain::wallboard::{AgentLoad, Facts, day_start};
use crate::error::Result;

use super::report as store_report;

/// How stale the wallboard's month figures may get, in seconds: counting
/// the month so far reads ~40k index entries at 1M complaints (tens of ms),
/// too much to repeat on every change; everything else is counted each time.
pub const MONTH_EVERY: i64 = 10;

fn pairs(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<(i64, i64)>> {
    let mut st = c.prepare_cached(sql)?;
    let rows = st.query_map(p, |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everything but the presence sessions (they live in their own file).
/// `with_month`: also count this month's R26 figures and the R28 reminder
/// (a scan of the month so far; the wallboard does it at most every
/// [`MONTH_EVERY`] seconds).
pub fn facts(c: &Connection, s: &Settings, now: i64, with_month: bool) -> Result<Facts> {
    let tz = s.calendar.tz;
    let today = day_start(now, tz);
    let yesterday = day_start(today - 12 * 3600, tz);
    let handled: std::collections::HashMap<i64, i64> = pairs(
        c,
        "SELECT agent_id, count(*) FROM contacts WHERE started_at >= ?1 AND agent_id IS NOT NULL
         GROUP BY agent_id",
        params![today],
    )?
    .into_iter()
    .collect();
    let mut st = c.prepare_cached("SELECT id, name FROM agents WHERE active = 1 ORDER BY name")?;
    let agents = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, super::text_col(r, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(id, name)| AgentLoad {
            id,
            name,
            handled_today: handled.get(&id).copied().unwrap_or(0),
        })
        .collect();
    let failed: i64 = c
        .prepare_cached(
            "SELECT count(*) FROM callbacks WHERE status = 'failed' AND updated_at >= ?1",
        )?
        .query_row(params![today], |r| r.get(0))?;
    let intake = pairs(
        c,
        "SELECT ?1 + ((registered_at - ?1) / 3600) * 3600, count(*) FROM complaints
         WHERE registered_at >= ?1 AND registered_at < ?2 GROUP BY 1",
        params![yesterday, now + 1],
    )?;
    // The 29 days before today change only by backdated registrations:
    // counted with the month figures; today comes from `intake`, live.
    let mut last30 = Vec::new();
    if with_month {
        let from = today - 29 * 86_400;
        last30 = vec![0; 30];
        let days = pairs(
            c,
            "SELECT (registered_at - ?1) / 86400, count(*) FROM complaints
             WHERE registered_at >= ?1 AND registered_at < ?2 GROUP BY 1",
            params![from, today],
        )?;
        for (d, n) in days {
            if let Some(x) = last30.get_mut(d as usize) {
                *x += n;
            }
        }
    }
    let month = Month::of(now, tz).filter(|_| with_month);
    let (rates, label, reminder) = match month {
        Some(m) => {
            let counts = store_report::month_counts(c, m, now, false)?;
            let produced = match m.prev(tz) {
                Some(p) => store_report::produced(c, p)?,
                None => true,
            };
            (
                report::rates(&counts, s),
                m.label(),
                Some(report::reminder(now, tz, produced)),
            )
        }
        None => (Vec::new(), String::new(), None),
    };
    Ok(Facts {
        agents,
        sessions: Vec::new(),
        callbacks_failed_today: failed,
        intake,
        last30,
        month_at: with_month.then_some(now),
        month: rates,
        month_label: label,
        reminder,
    })
}
