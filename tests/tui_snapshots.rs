//! Whole-screen snapshots of the agent TUI on ratatui's `TestBackend`.
//!
//! `App` is built directly from fixed queue `Item`s and a fixed `now`: no
//! database, no wall clock, so every snapshot is stable. Snapshots live in
//! tests/snapshots/ (insta's default for integration tests); accept new
//! ones with `INSTA_UPDATE=always cargo test --test tui_snapshots` and read
//! them before committing.
//!
//! Besides the snapshot itself, every screen is checked structurally: each
//! row is exactly as wide as the terminal (nothing cut mid-character, no
//! wide character spilling over), and in the queue table every row's
//! complaint number starts in the same column (Chinese and Latin names
//! line up).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;

use chrono::{TimeZone, Utc};
use hotline::domain::model::{CallbackPurpose, CustomerClass, Role, Severity, Status};
use hotline::domain::queue::{Item, ItemKind, StoredClock};
use hotline::i18n::Lang;
use hotline::keymap::{Action, Keymap};
use hotline::store::agents::Agent;
use hotline::store::queue::{Detail, HistoryEntry};
use hotline::ui::app::{App, Event};
use unicode_width::UnicodeWidthStr;

const MIN: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Monday 2026-03-16 10:00 in Shanghai (02:00 UTC): a working day.
fn now() -> i64 {
    Utc.with_ymd_and_hms(2026, 3, 16, 2, 0, 0)
        .single()
        .expect("valid time")
        .timestamp()
}

fn agent(id: i64, login: &str, name: &str, role: Role) -> Agent {
    Agent {
        id,
        login: login.into(),
        name: name.into(),
        role,
        active: true,
    }
}

/// The agent looking at the screen, and a colleague.
fn li_na() -> Agent {
    agent(2, "lina", "李娜", Role::Agent)
}
fn supervisor() -> Agent {
    agent(3, "zhao", "赵班长", Role::Supervisor)
}

fn clock(risk: i64, due: i64) -> Option<StoredClock> {
    Some(StoredClock {
        risk,
        due,
        met: None,
    })
}

/// A plain open complaint received `age` seconds before `now`, whose
/// first-response clock is at risk at `risk` and due at `due` (absolute).
fn complaint(id: i64, age: i64, risk: i64, due: i64) -> Item {
    let received = now() - age;
    Item {
        number: format!("C20260316-{id:04}"),
        customer_id: Some(100 + id),
        category_zh: "服务质量".into(),
        category_en: "Service quality".into(),
        received_at: received,
        channel: "phone".into(),
        first_response: clock(risk, due),
        solution: clock(received + 20 * HOUR, received + 2 * DAY),
        close: clock(received + 5 * DAY, received + 7 * DAY),
        version: 1,
        ..Item::new(ItemKind::Complaint, id)
    }
}

/// Every kind of row the queue must show: each badge (R14), Chinese and
/// Latin names, a confidential customer (R30), a callback, an
/// unacknowledged major (R12), a landline and an anonymous caller.
fn items() -> Vec<Item> {
    let n = now();
    // LATE (R14): first response overdue; handled by the viewing agent, so
    // the detail pane may show the whole phone (R30).
    let mut late = complaint(1, 2 * DAY + HOUR, n - DAY - 4 * HOUR, n - DAY);
    late.customer_name = "张伟".into();
    late.phone = "13812345678".into();
    late.subject = "宽带断网三天无人处理".into();
    late.status = Status::InProgress;
    late.assignee_id = Some(li_na().id);
    late.assignee_name = li_na().name;
    late.channel = "phone".into();
    late.complainant_count = 3;

    // RISK: 80 % of the first-response time used.
    let mut risk = complaint(2, 5 * HOUR, n - 30 * MIN, n + 90 * MIN);
    risk.customer_name = "John Smith".into();
    risk.phone = "+8613900001111".into();
    risk.subject = "Refund not received after return".into();
    risk.category_zh = "政策流程".into();
    risk.category_en = "Policy/process".into();
    risk.channel = "email".into();

    // ok, class A, a four-character name, unassigned.
    let mut ok = complaint(3, 20 * MIN, n + 6 * HOUR, n + 8 * HOUR);
    ok.customer_name = "欧阳娜娜".into();
    ok.phone = "13700002222".into();
    ok.class = CustomerClass::A;
    ok.subject = "快递员态度恶劣，要求道歉".into();
    ok.category_zh = "员工态度".into();
    ok.category_en = "Staff attitude".into();

    // R30: a confidential customer; agents see no name and no phone.
    let mut secret = complaint(4, 40 * MIN, n + 5 * HOUR, n + 7 * HOUR);
    secret.customer_name = "王秘密".into();
    secret.phone = "13600003333".into();
    secret.confidential = true;
    secret.subject = "账户资料泄露".into();

    // R12: major, not yet acknowledged by a supervisor.
    let mut major = complaint(5, 10 * MIN, n + 6 * HOUR, n + 8 * HOUR);
    major.severity = Severity::Major;
    major.customer_name = "Maria García-López".into();
    major.phone = "07551234567".into();
    major.subject = "Media exposure threatened over billing".into();
    major.major_ack = clock(n + 12 * HOUR, n + 14 * HOUR);
    major.category_zh = "产品功能".into();
    major.category_en = "Product function".into();

    // A satisfaction callback due later today.
    let mut cb = complaint(6, 3 * DAY, 0, 0);
    cb.kind = ItemKind::Callback;
    cb.id = 61;
    cb.complaint_id = 6;
    cb.number = "C20260313-0021".into();
    cb.status = Status::Resolved;
    cb.first_response = None;
    cb.solution = None;
    cb.close = None;
    cb.callback_due = Some(n + 3 * HOUR);
    cb.purpose = Some(CallbackPurpose::Survey);
    cb.attempts = (1, 3);
    cb.customer_name = "刘洋".into();
    cb.phone = "13500004444".into();
    cb.subject = "回访满意度".into();
    cb.assignee_role = Some(Role::Agent);

    // Anonymous, nothing to show but the fact.
    let mut anon = complaint(7, 2 * HOUR, n + 3 * HOUR, n + 4 * HOUR);
    anon.anonymous = true;
    anon.customer_id = None;
    anon.subject = "匿名举报".into();
    anon.channel = "web".into();

    vec![late, risk, ok, secret, major, cb, anon]
}

fn detail_for_first() -> Detail {
    let n = now();
    Detail {
        complaint_id: 1,
        description: "客户反映家中宽带从周五起断网，\n已报修两次仍未上门。".into(),
        history: vec![
            HistoryEntry {
                at: n - DAY,
                agent: "李娜".into(),
                kind: "assigned".into(),
                old: None,
                new: Some("李娜".into()),
                note: String::new(),
            },
            HistoryEntry {
                at: n - 2 * DAY - HOUR,
                agent: String::new(),
                kind: "registered".into(),
                old: None,
                new: Some("phone".into()),
                note: String::new(),
            },
        ],
        customer_open: 1,
        customer_total: 4,
    }
}

fn app(me: Agent, lang: Lang) -> App {
    let keymap = Keymap::builtin("default").expect("built-in keymap");
    let mut app = App::new(me, lang, keymap, now(), false);
    app.tz = chrono_tz::Asia::Shanghai;
    app.handle(Event::Queue(Ok(items())), now());
    app.handle(Event::Detail(Ok(detail_for_first())), now());
    app
}

/// Renders `app` at `w`x`h`, checks the screen's shape, and returns it as
/// a terminal would show it (see `common::screen`).
fn screen(app: &App, w: u16, h: u16) -> String {
    common::screen::render_app(app, w, h).1
}

/// The display column at which each queue row's complaint number starts.
fn number_columns(screen: &str) -> Vec<usize> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find("C20260")?;
            Some(UnicodeWidthStr::width(&l[..at]))
        })
        .collect()
}

fn assert_columns_aligned(screen: &str, rows: usize) {
    let cols = number_columns(screen);
    // The detail pane repeats the selected number at its own indent; the
    // table rows are the first `rows` hits.
    assert!(cols.len() >= rows, "expected {rows} rows: {screen}");
    let table = &cols[..rows];
    assert!(
        table.iter().all(|&c| c == table[0]),
        "numbers do not line up: {table:?}\n{screen}"
    );
}

#[test]
fn r6_r14_r30_queue_agent_en_80x24() {
    let s = screen(&app(li_na(), Lang::En), 80, 24);
    assert_columns_aligned(&s, 7);
    // R30: an agent sees neither the confidential name nor its phone; lists
    // mask phones; the record being handled shows the whole number.
    assert!(!s.contains("王秘密") && !s.contains("3333"));
    assert!(s.contains("confidential"));
    assert!(s.contains("138****5678") && s.contains("138 1234 5678"));
    assert!(!s.contains("13812345678") && !s.contains("13700002222"));
    // R14: every badge state is on screen.
    for b in ["LATE ", "RISK ", "ok   "] {
        assert!(s.contains(b), "{b}");
    }
    // R12: the alert line is for supervisors only.
    assert!(!s.contains("not acknowledged"));
    insta::assert_snapshot!(s);
}

#[test]
fn r6_r14_r30_queue_agent_zh_80x24() {
    let s = screen(&app(li_na(), Lang::Zh), 80, 24);
    assert_columns_aligned(&s, 7);
    assert!(!s.contains("王秘密") && s.contains("保密客户"));
    for b in ["超时", "预警", "正常"] {
        assert!(s.contains(b), "{b}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn r6_r14_r30_queue_agent_en_120x40() {
    let s = screen(&app(li_na(), Lang::En), 120, 40);
    assert_columns_aligned(&s, 7);
    assert!(!s.contains("王秘密") && s.contains("confidential"));
    // The queue beside the detail pane is never narrower than at 80
    // columns: names and masked phones are not cut.
    assert!(s.contains("John Smith 139****1111"), "{s}");
    assert!(s.contains("欧阳娜娜 137****2222"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn r6_r14_r30_queue_agent_zh_120x40() {
    let s = screen(&app(li_na(), Lang::Zh), 120, 40);
    assert_columns_aligned(&s, 7);
    assert!(!s.contains("王秘密") && s.contains("保密客户"));
    insta::assert_snapshot!(s);
}

#[test]
fn r12_r30_queue_supervisor_en_80x24_alert_and_confidential_shown() {
    let s = screen(&app(supervisor(), Lang::En), 80, 24);
    assert_columns_aligned(&s, 7);
    // The header keeps every count whole; the role gives way first.
    assert!(s.contains("at risk 1") && s.contains("赵班长 10:00"), "{s}");
    // R12: one unacknowledged major → an alert line at once.
    assert!(
        s.contains("!! 1 major complaint(s) not acknowledged"),
        "{s}"
    );
    // R30: supervisors may see the confidential customer, phone masked.
    assert!(s.contains("王秘密 136****3333"));
    insta::assert_snapshot!(s);
}

#[test]
fn r12_r30_queue_supervisor_zh_120x40_alert_and_confidential_shown() {
    let s = screen(&app(supervisor(), Lang::Zh), 120, 40);
    assert_columns_aligned(&s, 7);
    assert!(s.contains("!! 1 件重大投诉待确认"), "{s}");
    assert!(s.contains("王秘密"));
    insta::assert_snapshot!(s);
}

/// The text that starts at display column `col` of `line`, if a
/// character starts there (not inside a wide one).
fn at_col(line: &str, col: usize) -> Option<char> {
    let mut w = 0;
    for c in line.chars() {
        if w == col {
            return Some(c);
        }
        w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w > col {
            return None;
        }
    }
    None
}

/// The help box (78 wide, height 22, centred) has both borders on every
/// row, also where the queue behind it has a Chinese character straddling
/// its left edge.
fn assert_help_box_whole(s: &str) {
    let lines: Vec<&str> = s.lines().collect();
    for (y, line) in lines.iter().enumerate().take(23).skip(1) {
        let (l, r) = match y {
            1 => ('┌', '┐'),
            22 => ('└', '┘'),
            _ => ('│', '│'),
        };
        assert_eq!(at_col(line, 1), Some(l), "row {y} left border: {line:?}");
        assert_eq!(at_col(line, 78), Some(r), "row {y} right border: {line:?}");
    }
}

#[test]
fn help_overlay_en_80x24() {
    let mut a = app(li_na(), Lang::En);
    a.action(Action::Help);
    let s = screen(&a, 80, 24);
    assert_help_box_whole(&s);
    // Descriptions are not cut while the column has room for them.
    assert!(s.contains("Claim the selected item"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn help_overlay_zh_80x24() {
    let mut a = app(li_na(), Lang::Zh);
    a.action(Action::Help);
    let s = screen(&a, 80, 24);
    assert_help_box_whole(&s);
    assert!(s.contains("认领所选项"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn too_small_asks_to_enlarge() {
    let s = screen(&app(li_na(), Lang::En), 79, 24);
    assert!(s.contains("please enlarge"), "{s}");
    let s = screen(&app(li_na(), Lang::Zh), 80, 23);
    assert!(s.contains("请调整到至少 80x24"), "{s}");
}

/// R8: when another process changes the queue, the reload must not move
/// the agent's cursor to another complaint. The store returns rows in no
/// particular order and a new complaint may sort above the selection.
#[test]
fn r8_reload_keeps_the_selection_on_the_same_item() {
    let mut a = app(li_na(), Lang::En);
    a.action(Action::Down);
    a.action(Action::Down);
    a.action(Action::Down);
    let chosen = a.selected_item().map(|i| i.number.clone()).unwrap();
    // The reload: the same rows in another order, plus a new breached
    // complaint that sorts to the top.
    let mut fresh = items();
    fresh.reverse();
    let mut new = complaint(8, 3 * DAY, now() - 2 * DAY, now() - DAY - HOUR);
    new.customer_name = "新客户".into();
    fresh.push(new);
    a.handle(Event::Queue(Ok(fresh)), now());
    assert_eq!(a.rows().next().map(|i| i.id), Some(8), "R6 order");
    assert_eq!(
        a.selected_item().map(|i| i.number.clone()),
        Some(chosen.clone()),
        "the selection jumped"
    );
    // Still on screen, with the new complaint above it.
    let s = screen(&a, 80, 24);
    assert!(s.contains("C20260316-0008") && s.contains(&chosen), "{s}");
}
