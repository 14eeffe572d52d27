//! R27: the supervisor wallboard's figures, computed at `now` from the
//! same queue items the supervisor's queue shows (so a number and the
//! complaints behind it always agree) plus the store's day and month
//! counts. [`Jump`] names the items behind a number for the queue filter.
use chrono::TimeZone;

use super::model::{Severity, Status};
use super::presence::{self, Session, State, Thresholds};
use super::queue::{ClockName, Item, ItemKind};
use super::report::{Count, Rate, Reminder};
use super::sla::Badge;

pub const STATUSES: [Status; 3] = [Status::New, Status::InProgress, Status::Resolved];
pub const SEVERITIES: [Severity; 3] = [Severity::Major, Severity::Important, Severity::General];
pub const CLOCKS: [ClockName; 4] = [
    ClockName::FirstResponse,
    ClockName::Solution,
    ClockName::Close,
    ClockName::MajorReport,
];
/// The badges a running clock can show; a clock met late on an open
/// complaint counts as breached (R14: never hidden).
pub const BADGES: [Badge; 3] = [Badge::OnTrack, Badge::AtRisk, Badge::Breached];

/// The complaints (and callbacks) behind one number on the wallboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    Cell(Status, Severity),
    Clock(ClockName, Badge),
    Unacknowledged,
    CallbacksDue,
    CallbacksOverdue,
    /// An agent's open items (complaints and today's callbacks).
    Agent(i64),
}

fn running_badge(b: Badge) -> Option<Badge> {
    match b {
        Badge::Met => None,
        Badge::MetLate => Some(Badge::Breached),
        b => Some(b),
    }
}

impl Jump {
    pub fn matches(self, i: &Item, now: i64, end_of_day: i64) -> bool {
        match (self, i.kind) {
            (Jump::Cell(st, sev), ItemKind::Complaint) => i.status == st && i.severity == sev,
            (Jump::Clock(name, badge), ItemKind::Complaint) => i
                .clocks()
                .any(|(n, c)| n == name && running_badge(c.badge(now)) == Some(badge)),
            (Jump::Unacknowledged, ItemKind::Complaint) => i.unacknowledged_major(),
            (Jump::CallbacksOverdue, ItemKind::Callback) => i.callback_due.is_some_and(|d| d < now),
            (Jump::CallbacksDue, ItemKind::Callback) => {
                i.callback_due.is_some_and(|d| d >= now && d < end_of_day)
            }
            (Jump::Agent(id), _) => i.assignee_id == Some(id),
            _ => false,
        }
    }
}

/// One agent's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLine {
    pub id: i64,
    pub name: String,
    pub state: State,
    pub since: Option<i64>,
    pub open: i64,
    pub handled_today: i64,
}

/// An agent as the store lists them, with their load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLoad {
    pub id: i64,
    pub name: String,
    /// Calls recorded today.
    pub handled_today: i64,
}

/// What the store counts for the board besides the queue items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub agents: Vec<AgentLoad>,
    pub sessions: Vec<Session>,
    pub callbacks_failed_today: i64,
    /// Complaints registered yesterday and today: (start of the hour, count).
    pub intake: Vec<(i64, i64)>,
    /// Complaints per day of the last 30 days, oldest first (today's is
    /// filled in from `intake`).
    pub last30: Vec<i64>,
    /// This month's R26 figures, and when they were counted (none: not
    /// counted this time, the previous ones still hold).
    pub month: Vec<Rate>,
    pub month_at: Option<i64>,
    pub month_label: String,
    pub reminder: Option<Reminder>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Major {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub received_at: i64,
    pub due: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub now: i64,
    /// `queue[status][severity]`, in the orders of [`STATUSES`] and [`SEVERITIES`].
    pub queue: [[i64; 3]; 3],
    /// `clocks[clock][badge]`, in the orders of [`CLOCKS`] and [`BADGES`].
    pub clocks: [[i64; 3]; 4],
    /// Oldest first.
    pub unacknowledged: Vec<Major>,
    pub callbacks_due: i64,
    pub callbacks_overdue: i64,
    pub callbacks_failed: i64,
    pub agents: Vec<AgentLine>,
    pub intake_today: [i64; 24],
    pub intake_yesterday: [i64; 24],
    pub last30: Vec<i64>,
    pub by_category: Vec<Count>,
    pub month: Vec<Rate>,
    pub month_label: String,
    pub reminder: Option<Reminder>,
}

/// Local midnight starting the day of `t`, and the hour of `t` in it.
pub fn day_start(t: i64, tz: chrono_tz::Tz) -> i64 {
    tz.timestamp_opt(t, 0)
        .single()
        .map(|d| d.date_naive())
        .and_then(|d| super::report::local_midnight(d, tz))
        .unwrap_or(t - t.rem_euclid(86_400))
}

// One pass over the queue items fills every panel's counters at once;
// a pass per panel would walk 5,000 items several times per change.
#[allow(clippy::too_many_lines)]
pub fn compute(items: &[Item], facts: Facts, now: i64, tz: chrono_tz::Tz, t: &Thresholds) -> Board {
    let today = day_start(now, tz);
    let tomorrow = day_start(today + 36 * 3600, tz);
    let yesterday = day_start(today - 12 * 3600, tz);
    let mut b = Board {
        now,
        queue: [[0; 3]; 3],
        clocks: [[0; 3]; 4],
        unacknowledged: Vec::new(),
        callbacks_due: 0,
        callbacks_overdue: 0,
        callbacks_failed: facts.callbacks_failed_today,
        agents: Vec::new(),
        intake_today: [0; 24],
        intake_yesterday: [0; 24],
        last30: facts.last30,
        by_category: Vec::new(),
        month: facts.month,
        month_label: facts.month_label,
        reminder: facts.reminder,
    };
    for i in items {
        if i.kind == ItemKind::Callback {
            b.callbacks_overdue += i64::from(Jump::CallbacksOverdue.matches(i, now, tomorrow));
            b.callbacks_due += i64::from(Jump::CallbacksDue.matches(i, now, tomorrow));
            continue;
        }
        if let (Some(s), Some(v)) = (
            STATUSES.iter().position(|s| *s == i.status),
            SEVERITIES.iter().position(|v| *v == i.severity),
        ) {
            b.queue[s][v] += 1;
        }
        for (name, c) in i.clocks() {
            let (Some(k), Some(badge)) = (
                CLOCKS.iter().position(|n| *n == name),
                running_badge(c.badge(now)),
            ) else {
                continue;
            };
            if let Some(x) = BADGES.iter().position(|x| *x == badge) {
                b.clocks[k][x] += 1;
            }
        }
        if i.unacknowledged_major() {
            b.unacknowledged.push(Major {
                id: i.id,
                number: i.number.clone(),
                subject: i.subject.clone(),
                received_at: i.received_at,
                due: i.major_ack.map(|c| c.due),
            });
        }
    }
    b.unacknowledged
        .sort_by_key(|m| (m.received_at, m.number.clone()));
    for (at, n) in facts.intake {
        if at >= today && at < tomorrow {
            if let Some(h) = b.intake_today.get_mut(((at - today) / 3600) as usize) {
                *h += n;
            }
        } else if at >= yesterday
            && at < today
            && let Some(h) = b
                .intake_yesterday
                .get_mut(((at - yesterday) / 3600) as usize)
        {
            *h += n;
        }
    }
    if let Some(last) = b.last30.last_mut() {
        *last = b.intake_today.iter().sum();
    }
    // Open complaints by category, most first (Pareto).
    let mut cats: std::collections::HashMap<(&str, &str), i64> = Default::default();
    let mut open: std::collections::HashMap<i64, i64> = Default::default();
    for i in items {
        if i.kind == ItemKind::Complaint {
            *cats.entry((&i.category_zh, &i.category_en)).or_default() += 1;
        }
        if let Some(a) = i.assignee_id {
            *open.entry(a).or_default() += 1;
        }
    }
    b.by_category = cats
        .into_iter()
        .map(|((zh, en), n)| Count {
            key: en.to_string(),
            zh: zh.to_string(),
            en: en.to_string(),
            n,
        })
        .collect();
    b.by_category
        .sort_by(|x, y| y.n.cmp(&x.n).then(x.en.cmp(&y.en)));
    b.agents = facts
        .agents
        .into_iter()
        .map(|a| {
            let st =
                presence::agent_state(facts.sessions.iter().filter(|s| s.agent_id == a.id), now, t);
            AgentLine {
                id: a.id,
                name: a.name,
                state: st.map_or(State::Offline, |s| s.0),
                since: st.map(|s| s.1),
                open: open.get(&a.id).copied().unwrap_or(0),
                handled_today: a.handled_today,
            }
        })
        .collect();
    // Busiest first, then by name, so the list does not jump about.
    b.agents
        .sort_by(|x, y| y.state.cmp(&x.state).then(x.name.cmp(&y.name)));
    b
}

/// When the board must be recomputed with no change in the database: a
/// clock crossing at-risk or due, a callback going overdue, a session going
/// idle, away or offline, the day turning.
pub fn next_boundary(
    items: &[Item],
    sessions: &[Session],
    now: i64,
    tz: chrono_tz::Tz,
    t: &Thresholds,
) -> i64 {
    let badges = super::queue::next_boundary(items, now).unwrap_or(i64::MAX);
    let callbacks = items
        .iter()
        .filter_map(|i| i.callback_due)
        .filter(|d| *d > now)
        .min()
        .unwrap_or(i64::MAX);
    let people = presence::next_boundary(sessions, now, t).unwrap_or(i64::MAX);
    let day = day_start(day_start(now, tz) + 36 * 3600, tz);
    badges.min(callbacks).min(people).min(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::queue::StoredClock;

    fn item(id: i64, status: Status, severity: Severity) -> Item {
        let mut i = crate::domain::queue::item_tests::item(id, ItemKind::Complaint);
        (i.status, i.severity, i.received_at) = (status, severity, id);
        (i.solution, i.close) = (None, None);
        i.major_ack = (severity == Severity::Major).then_some(StoredClock {
            risk: 1500,
            due: 2000,
            met: None,
        });
        i
    }

    #[test]
    fn r27_counts_by_status_severity_and_clock_badges() {
        let items = vec![
            item(1, Status::New, Severity::General),
            item(2, Status::New, Severity::Major),
            item(3, Status::InProgress, Severity::Important),
        ];
        let t = Thresholds {
            idle: 300,
            away: 900,
            offline: 60,
        };
        let b = compute(&items, Facts::default(), 900, chrono_tz::UTC, &t);
        assert_eq!(b.queue[0], [1, 0, 1]);
        assert_eq!(b.queue[1], [0, 1, 0]);
        // First response: all three at risk at 900 (risk 800, due 1000).
        assert_eq!(b.clocks[0], [0, 3, 0]);
        assert_eq!(b.clocks[3], [1, 0, 0]);
        assert_eq!(b.unacknowledged.len(), 1);
        let b = compute(&items, Facts::default(), 1001, chrono_tz::UTC, &t);
        assert_eq!(b.clocks[0], [0, 0, 3]); // R14: breached, counted
        assert!(Jump::Clock(ClockName::FirstResponse, Badge::Breached).matches(&items[0], 1001, 0));
        assert!(!Jump::Cell(Status::New, Severity::Major).matches(&items[0], 1001, 0));
        // The board wakes itself when the at-risk clock crosses its due.
        assert_eq!(next_boundary(&items, &[], 900, chrono_tz::UTC, &t), 1000);
    }
}
