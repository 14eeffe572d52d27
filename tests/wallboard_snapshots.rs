//! The supervisor wallboard (R27) on ratatui's `TestBackend`: whole-screen
//! snapshots at 80x24 and 200x60 in Chinese and English, built from fixed
//! queue items and fixed facts at a fixed `now` (no database, no clock).
//! Besides the snapshots: every number Enter can open shows exactly that
//! many rows in the queue, and Esc comes back; agents are refused (R27);
//! a clock crossing its due moves the count with no reload (R14).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;

use chrono::{TimeZone, Utc};
use hotline::domain::model::{CallbackPurpose, Role, Severity, Status};
use hotline::domain::presence::{Activity, Session};
use hotline::domain::queue::{ClockName, Item, ItemKind, StoredClock};
use hotline::domain::report::{Month, Reminder};
use hotline::domain::settings::Settings;
use hotline::domain::sla::Badge;
use hotline::domain::wallboard::{AgentLoad, Facts, Jump};
use hotline::i18n::Lang;
use hotline::keymap::{Action, Keymap};
use hotline::store::agents::Agent;
use hotline::ui::app::{App, Event, View};

const MIN: i64 = 60;
const HOUR: i64 = 3600;

/// Tuesday 2026-12-01 15:00 in Shanghai.
fn now() -> i64 {
    Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0)
        .single()
        .expect("time")
        .timestamp()
}

fn clock(risk: i64, due: i64) -> Option<StoredClock> {
    Some(StoredClock {
        risk,
        due,
        met: None,
    })
}

fn complaint(id: i64, status: Status, severity: Severity, fr_due: i64) -> Item {
    let n = now();
    Item {
        number: format!("C20261201-{id:04}"),
        severity,
        status,
        subject: format!("宽带故障 {id}"),
        customer_id: Some(100 + id),
        customer_name: "张伟".into(),
        phone: "13812345678".into(),
        category_zh: if id % 3 == 0 {
            "员工态度"
        } else {
            "服务质量"
        }
        .into(),
        category_en: if id % 3 == 0 {
            "Staff attitude"
        } else {
            "Service quality"
        }
        .into(),
        received_at: n - 5 * HOUR + id * MIN,
        assignee_id: (id % 2 == 0).then_some(11),
        channel: "phone".into(),
        first_response: clock(fr_due - 30 * MIN, fr_due),
        solution: clock(n + 20 * HOUR, n + 24 * HOUR),
        close: clock(n + 5 * 24 * HOUR, n + 7 * 24 * HOUR),
        major_ack: (severity == Severity::Major)
            .then(|| clock(n + HOUR, n + 2 * HOUR))
            .flatten(),
        version: 1,
        ..Item::new(ItemKind::Complaint, id)
    }
}

fn callback(id: i64, due: i64) -> Item {
    let mut c = complaint(id, Status::Resolved, Severity::General, 0);
    c.kind = ItemKind::Callback;
    c.id = 1000 + id;
    c.first_response = None;
    c.solution = None;
    c.close = None;
    c.callback_due = Some(due);
    c.purpose = Some(CallbackPurpose::Survey);
    c
}

fn items() -> Vec<Item> {
    let n = now();
    vec![
        complaint(1, Status::New, Severity::General, n - HOUR), // breached
        complaint(2, Status::New, Severity::Major, n + 10 * MIN), // at risk
        complaint(3, Status::InProgress, Severity::Important, n + 3 * HOUR),
        complaint(4, Status::InProgress, Severity::General, n + 3 * HOUR),
        complaint(5, Status::New, Severity::Major, n + 20 * MIN), // at risk
        complaint(6, Status::Resolved, Severity::General, n + 3 * HOUR),
        complaint(7, Status::New, Severity::Important, n - 2 * HOUR), // breached
        callback(8, n - HOUR),                                        // overdue
        callback(9, n + 2 * HOUR),                                    // due today
    ]
}

fn facts() -> Facts {
    let n = now();
    let today = hotline::domain::wallboard::day_start(n, chrono_tz::Asia::Shanghai);
    let s = Settings::defaults();
    let counts = hotline::domain::report::MonthCounts {
        complaints: 40,
        resolved: 39,
        callbacks_due: 10,
        callbacks_done: 4,
        surveys_completed: 3,
        scores: 3,
        score_sum: 280,
        ..Default::default()
    };
    let agents = [
        (11, "李娜"),
        (12, "王芳"),
        (13, "Emma Wilson"),
        (14, "张伟"),
        (15, "陈静"),
    ];
    let session = |id: &str, agent: i64, activity, key: i64, beat: i64| Session {
        id: id.into(),
        agent_id: agent,
        activity,
        since: n - 7 * MIN,
        last_key_at: key,
        heartbeat_at: beat,
    };
    Facts {
        agents: agents
            .iter()
            .map(|(id, name)| AgentLoad {
                id: *id,
                name: (*name).into(),
                handled_today: id - 10,
            })
            .collect(),
        sessions: vec![
            session("a", 11, Activity::Call, n - MIN, n - 5),
            session("b", 11, Activity::Queue, n - MIN, n - 5), // one agent, two sessions
            session("c", 12, Activity::Work, n - 10, n - 5),
            session("d", 13, Activity::Queue, n - 20 * MIN, n - 5),
            session("e", 14, Activity::Work, n - 10, n - 600), // killed: offline
        ],
        callbacks_failed_today: 2,
        intake: (0..15)
            .map(|h| (today + h * HOUR, (h % 5) + 1))
            .chain((0..24).map(|h| (today - 24 * HOUR + h * HOUR, (h % 4) + 1)))
            .collect(),
        last30: (0..30).map(|d| 20 + (d * 7) % 13).collect(),
        month: hotline::domain::report::rates(&counts, &s),
        month_label: "2026-12".into(),
        month_at: Some(n),
        reminder: Some(Reminder::Due {
            month: Month::new(2026, 11, chrono_tz::Asia::Shanghai).expect("month"),
            overdue: false,
        }),
    }
}

fn supervisor() -> Agent {
    Agent {
        id: 3,
        login: "zhao".into(),
        name: "赵班长".into(),
        role: Role::Supervisor,
        active: true,
    }
}

fn board(lang: Lang) -> App {
    let keymap = Keymap::builtin("default").expect("keymap");
    let mut app = App::new(supervisor(), lang, keymap, now(), false);
    app.tz = chrono_tz::Asia::Shanghai;
    app.handle(Event::Queue(Ok(items())), now());
    app.action(Action::OpenWallboard);
    app.handle(Event::Wallboard(Box::new(Ok(facts()))), now());
    assert_eq!(app.view, View::Wallboard);
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    common::screen::render_app(app, w, h).1
}

#[test]
fn r27_wallboard_zh_80x24() {
    let app = board(Lang::Zh);
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("未确认重大投诉") && s.contains("C20261201-0002"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn r27_wallboard_en_80x24_second_page() {
    let mut app = board(Lang::En);
    let first = screen(&app, 80, 24);
    app.action(Action::PageDown);
    let second = screen(&app, 80, 24);
    assert_ne!(first, second, "PageDown shows the next panels");
    insta::assert_snapshot!(second);
}

#[test]
fn r27_wallboard_zh_200x60() {
    let app = board(Lang::Zh);
    let s = screen(&app, 200, 60);
    // Everything fits on one page at 200x60.
    for want in [
        "SLA 时限",
        "今日回访",
        "坐席",
        "本月 R26 指标",
        "近30天受理",
        "帕累托",
        "页 1/1",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn r27_wallboard_en_200x60() {
    let app = board(Lang::En);
    let s = screen(&app, 200, 60);
    assert!(
        s.contains("R28: the report for 2026-11 is not produced yet"),
        "{s}"
    );
    // One agent with two sessions counts once; a killed session is offline.
    assert_eq!(s.matches("李娜").count(), 1, "{s}");
    let line = s
        .lines()
        .find(|l| l.contains("张伟 ") && l.contains("offline"))
        .is_some();
    assert!(line, "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn r27_every_number_opens_exactly_its_complaints_and_esc_comes_back() {
    let mut app = board(Lang::En);
    let n = now();
    let end = hotline::domain::wallboard::day_start(n + 36 * HOUR, chrono_tz::Asia::Shanghai);
    let b = app
        .wallboard
        .as_ref()
        .and_then(|w| w.board.clone())
        .expect("board");
    let want = |j: Jump| items().iter().filter(|i| j.matches(i, n, end)).count();
    // The board's own counts agree with the items behind them.
    assert_eq!(
        b.clocks[0][2] as usize,
        want(Jump::Clock(ClockName::FirstResponse, Badge::Breached))
    );
    assert_eq!(b.clocks[0][2], 2);
    assert_eq!(
        (b.callbacks_overdue, b.callbacks_due, b.callbacks_failed),
        (1, 1, 2)
    );
    let all = hotline::ui::wallboard::jumps(Some(&b));
    assert!(
        all.contains(&Jump::Agent(11)),
        "each agent's open items can be opened"
    );
    for (k, j) in all.into_iter().enumerate() {
        if let Some(w) = app.wallboard.as_mut() {
            w.focus = k;
        }
        app.action(Action::Open);
        assert_eq!(app.view, View::Queue, "{j:?}");
        assert_eq!(app.view_rows.len(), want(j), "{j:?}");
        app.action(Action::Back);
        assert_eq!(app.view, View::Wallboard, "{j:?}");
    }
}

#[test]
fn r27_agents_are_refused_the_wallboard() {
    let keymap = Keymap::builtin("default").expect("keymap");
    let me = Agent {
        role: Role::Agent,
        ..supervisor()
    };
    let mut app = App::new(me, Lang::En, keymap, now(), false);
    app.handle(Event::Queue(Ok(items())), now());
    let fx = app.action(Action::OpenWallboard);
    assert!(fx.is_empty());
    assert_eq!(app.view, View::Queue);
    let s = screen(&app, 80, 24);
    assert!(s.contains("The wallboard is for supervisors and up"), "{s}");
}

#[test]
fn r14_a_clock_crossing_due_moves_the_board_without_a_reload() {
    let mut app = board(Lang::En);
    let at_risk = |app: &App| {
        app.wallboard
            .as_ref()
            .and_then(|w| w.board.as_ref())
            .map(|b| b.clocks[0])
    };
    assert_eq!(at_risk(&app), Some([2, 2, 2])); // the resolved one waits for its close only
    // Complaint 2's first response is due at now + 10 min: the board asks
    // to wake then, and a tick at that instant counts it as breached.
    let wake = app.next_wakeup();
    assert!(wake <= now() + 10 * MIN, "{wake}");
    app.handle(Event::Tick, now() + 10 * MIN + 1);
    assert_eq!(at_risk(&app), Some([2, 1, 3]));
}

#[test]
fn r28_acknowledge_from_the_board_names_the_oldest_major() {
    let mut app = board(Lang::En);
    let fx = app.action(Action::Acknowledge);
    assert_eq!(
        fx,
        vec![hotline::ui::app::Effect::Acknowledge {
            id: 2,
            number: "C20261201-0002".into()
        }]
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("C20261201-0002"), "{s}");
}

#[test]
fn r28_report_view_from_the_board_scrolls_and_changes_month() {
    use hotline::domain::report::Month;
    use hotline::ui::app::Effect;
    let mut app = board(Lang::En);
    let tz = chrono_tz::Asia::Shanghai;
    let dec = Month::new(2026, 12, tz).expect("month");
    assert_eq!(
        app.action(Action::OpenReport),
        vec![Effect::LoadReport(dec)]
    );
    assert_eq!(app.view, View::Report);
    // Never a month that has not begun.
    assert_eq!(app.action(Action::NextPane), Vec::<Effect>::new());
    let nov = Month::new(2026, 11, tz).expect("month");
    assert_eq!(app.action(Action::PrevPane), vec![Effect::LoadReport(nov)]);
    let counts = hotline::domain::report::MonthCounts {
        complaints: 3,
        ..Default::default()
    };
    let r = hotline::domain::report::build(
        nov,
        counts,
        &[],
        vec![],
        vec![],
        &Settings::defaults(),
        now(),
    );
    app.handle(Event::Report(Box::new(Ok(r))), now());
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Monthly complaint report 2026-11") && s.contains("Complaints: 3"),
        "{s}"
    );
    app.action(Action::PageDown);
    let scrolled = screen(&app, 80, 24);
    assert!(!scrolled.contains("Complaints: 3"), "{scrolled}");
    app.action(Action::Back);
    assert_eq!(app.view, View::Wallboard);
}

#[test]
fn presence_a_silent_session_turns_offline_at_its_instant_without_a_reload() {
    let mut app = board(Lang::En);
    let state = |app: &App, id: i64| {
        app.wallboard
            .as_ref()
            .and_then(|w| w.board.as_ref())
            .and_then(|b| b.agents.iter().find(|a| a.id == id).map(|a| a.state))
    };
    use hotline::domain::presence::State;
    assert_eq!(state(&app, 12), Some(State::Working));
    // 王芳's last beat was at now - 5 s; the limit is 60 s: offline at
    // now + 56 s, and the board asks to be woken then.
    assert_eq!(app.next_wakeup(), now() + 56);
    app.handle(Event::Tick, now() + 56);
    assert_eq!(state(&app, 12), Some(State::Offline));
}
