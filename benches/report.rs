//! The monthly report (R28) over 1,000,000 complaints spread over 12
//! months (goal ≤ 2 s), and one wallboard refresh (R27) with 5,000 open
//! complaints and 200 agents present (goal ≤ 20 ms), each beside a
//! baseline measured in the same run on the same file: one plain scan of
//! every complaint (the floor of any report that reads them all), and the
//! supervisor's queue reload that every change already costs.
//! Run: `cargo bench --bench report` (HOTLINE_BENCH_COMPLAINTS to shrink).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
use std::time::{Duration, Instant};

use chrono::TimeZone;
use hotline::domain::model::Role;
use hotline::domain::presence::Activity;
use hotline::domain::report::Month;
use hotline::store::{Db, OpenMode, init, presence, queue, report, wallboard};
use rusqlite::params;

const DAY: i64 = 86_400;
const OPEN: i64 = 5_000;
const AGENTS: i64 = 200;

// The demo's deterministic generator (SplitMix64), shared with the benches.
use hotline::demo::Rng;

/// The median of `n` timed runs of `f`.
fn timed(n: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn build(db: &mut Db, total: i64, now: i64) {
    let start = now - 365 * DAY;
    let c = db.conn_mut();
    let tx = c.transaction().expect("tx");
    for i in 0..AGENTS {
        let role = if i < 10 { "supervisor" } else { "agent" };
        tx.execute(
            "INSERT INTO agents (login, name, role, active, created_at) VALUES (?1, ?2, ?3, 1, 0)",
            params![format!("a{i:03}"), format!("坐席{i:03}"), role],
        )
        .expect("agent");
    }
    let cats: Vec<i64> = {
        let mut st = tx.prepare("SELECT id FROM categories").expect("cats");
        st.query_map([], |r| r.get(0))
            .expect("q")
            .map(|r| r.expect("id"))
            .collect()
    };
    let subjects = [
        "宽带断网",
        "排队太久",
        "重复扣费",
        "态度恶劣",
        "退款未到账",
        "App 无法登录",
        "屏幕坏了",
        "承诺未兑现",
    ];
    let channels = [
        "phone", "email", "web", "letter", "visit", "social", "transfer",
    ];
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO complaints (number, channel, category_id, severity, status, subject,
                    received_at, registered_at, updated_at, assignee_id,
                    fr_risk, fr_due, fr_at, sol_risk, sol_due, sol_at, close_risk, close_due, closed_at,
                    ack_risk, ack_due, ack_at, resolved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                    ?18, ?19, ?20, ?21)",
            )
            .expect("prepare");
        let mut cb = tx
            .prepare(
                "INSERT INTO callbacks (complaint_id, due_at, purpose, status, created_at, updated_at)
                 VALUES (?1, ?2, 'survey', ?3, ?4, ?4)",
            )
            .expect("prepare");
        let mut ct = tx
            .prepare(
                "INSERT INTO contacts (complaint_id, callback_id, agent_id, direction, started_at, survey_score)
                 VALUES (?1, ?2, ?3, 'outbound', ?4, ?5)",
            )
            .expect("prepare");
        for i in 0..total {
            // The newest OPEN complaints are open; the rest are closed.
            let open = i >= total - OPEN;
            let reg = start + (i * 365 * DAY) / total;
            let sev = match rng.below(100) {
                0..=2 => "major",
                3..=15 => "important",
                _ => "general",
            };
            let fr_due = reg + 8 * 3600;
            let late = rng.below(10) == 0;
            let fr_at =
                (!open || rng.below(2) == 0).then(|| if late { fr_due + 3600 } else { reg + 3600 });
            let sol_due = reg + DAY;
            let sol_at = (!open).then(|| {
                if late {
                    sol_due + 7200
                } else {
                    reg + 20 * 3600
                }
            });
            let close_due = reg + 7 * DAY;
            let closed = (!open).then(|| reg + (2 + rng.below(7) as i64) * DAY);
            let (ack_due, ack_at) = if sev == "major" {
                (
                    Some(reg + DAY),
                    (!open || rng.below(2) == 0).then_some(reg + 3600),
                )
            } else {
                (None, None)
            };
            let status = if open {
                ["new", "in_progress", "resolved"][rng.below(3) as usize]
            } else {
                "closed"
            };
            let assignee = (rng.below(10) > 0).then(|| 1 + rng.below(AGENTS as u64) as i64);
            ins.execute(params![
                format!("B{i:08}"),
                channels[rng.below(7) as usize],
                cats[rng.below(cats.len() as u64) as usize],
                sev,
                status,
                subjects[rng.below(subjects.len() as u64) as usize],
                reg,
                assignee,
                fr_due - 3600,
                fr_due,
                fr_at,
                sol_due - 3600,
                sol_due,
                sol_at,
                close_due - DAY,
                close_due,
                closed,
                ack_due.map(|d| d - 3600),
                ack_due,
                ack_at,
                sol_at,
            ])
            .expect("complaint");
            let id = tx.last_insert_rowid();
            if !open && i % 3 == 0 {
                let due = closed.unwrap_or(reg) + DAY;
                // A few still pending (due today on the board), most ended.
                let status = if i % 600 == 0 {
                    "pending"
                } else {
                    ["done", "done", "done", "failed"][rng.below(4) as usize]
                };
                cb.execute(params![id, due, status, reg]).expect("callback");
                if status == "done" {
                    let cbid = tx.last_insert_rowid();
                    let score = (rng.below(3) > 0).then(|| 60 + 10 * rng.below(5) as i64);
                    ct.execute(params![id, cbid, assignee, due, score])
                        .expect("contact");
                }
            }
        }
    }
    tx.commit().expect("commit");
}

fn main() {
    let total: i64 = std::env::var("HOTLINE_BENCH_COMPLAINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("dir");
    // HOTLINE_BENCH_DB keeps the file for a closer look (must not exist).
    let path = std::env::var_os("HOTLINE_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let tz = chrono_tz::Asia::Shanghai;
    // Mid-month, so "this month so far" holds half a month.
    let now = tz
        .with_ymd_and_hms(2026, 12, 15, 15, 0, 0)
        .single()
        .expect("now")
        .timestamp();
    let mut db = Db::open(&path, OpenMode::Create).expect("create");
    db.write(|c| init::defaults(c, "Asia/Shanghai", "admin", 0))
        .expect("init");
    let t = Instant::now();
    build(&mut db, total, now);
    db.conn().execute_batch("ANALYZE").expect("analyze");
    println!(
        "built {total} complaints ({OPEN} open), {AGENTS} agents in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let s = db
        .read(|c| hotline::store::settings::load(c))
        .expect("settings");
    let last = Month::of(now, tz).and_then(|m| m.prev(tz)).expect("month");

    // Baseline: one pass over every complaint.
    let scan = timed(3, || {
        let n: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) + sum(fr_at IS NULL) FROM complaints",
                [],
                |r| r.get(0),
            )
            .expect("scan");
        assert!(n >= total);
    });
    let rep = timed(3, || {
        let r = db
            .read(|c| report::monthly(c, &s, last, now))
            .expect("report");
        assert!(r.complaints > 0);
    });
    let r = db
        .read(|c| report::monthly(c, &s, last, now))
        .expect("report");
    let render = timed(3, || {
        let n = hotline::report::html::render(&r, hotline::i18n::Lang::Zh).len()
            + hotline::report::csv::render(&r, hotline::i18n::Lang::Zh).len()
            + hotline::report::text::render(&r, hotline::i18n::Lang::Zh).len()
            + hotline::report::json::render(&r).len();
        assert!(n > 0);
    });

    // 200 agents present, two sessions for a tenth of them.
    let p = presence::open(&path).expect("presence");
    for i in 0..AGENTS + AGENTS / 10 {
        let agent = 1 + i % AGENTS;
        let act = [Activity::Call, Activity::Work, Activity::Queue][(i % 3) as usize];
        presence::beat(
            &p,
            &format!("s{i}"),
            agent,
            (act, now - 300, now - 10 * i),
            now - 5,
        )
        .expect("beat");
    }
    let sup = 1; // a supervisor
    let horizon = now + DAY;
    let reload = |db: &mut Db| {
        db.read_with_settings(|c, s| {
            queue::load(c, sup, Role::Supervisor, horizon, s.at_risk_percent)
        })
        .expect("queue")
    };
    let queue_only = timed(15, || {
        let items = reload(&mut db);
        assert!(items.len() as i64 >= OPEN);
    });
    let items = reload(&mut db);
    let facts_time = timed(15, || {
        let mut f = db
            .read_with_settings(|c, s| wallboard::facts(c, s, now, false))
            .expect("facts");
        f.sessions = presence::list(&p).expect("sessions");
        let b = hotline::domain::wallboard::compute(&items, f, now, tz, &s.presence);
        assert!(b.agents.len() as i64 >= AGENTS);
    });
    let month_time = timed(5, || {
        let f = db
            .read_with_settings(|c, s| wallboard::facts(c, s, now, true))
            .expect("facts");
        assert!(!f.month.is_empty());
    });
    let board = queue_only + facts_time;
    println!();
    println!("| what | median | baseline (same run) | ratio | goal |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| monthly report {} over {total} complaints | {:.0} ms | one scan of every complaint {:.0} ms | ×{:.2} | ≤ 2000 ms |",
        last.label(),
        ms(rep),
        ms(scan),
        ms(rep) / ms(scan).max(0.001)
    );
    println!(
        "| rendering it as text + CSV + HTML + JSON | {:.1} ms | | | |",
        ms(render)
    );
    println!(
        "| wallboard refresh: queue reload + board facts ({OPEN} open, {AGENTS} agents) | {:.1} ms | the queue reload alone {:.1} ms | ×{:.2} | ≤ 20 ms |",
        ms(board),
        ms(queue_only),
        ms(board) / ms(queue_only).max(0.001)
    );
    println!(
        "| … of which the board's own facts + compute | {:.1} ms | | | |",
        ms(facts_time)
    );
    println!(
        "| the board's facts with this month's R26 figures (at most every {} s) | {:.1} ms | | | |",
        wallboard::MONTH_EVERY,
        ms(month_time)
    );
}
