//! Whole-screen snapshots of the customer search and the customer record
//! on `TestBackend` (see tests/tui_snapshots.rs for how to accept them),
//! in English and Chinese, at 80x24 and 120x40, with the checks that do
//! not depend on the picture: phones masked in lists and whole only in the
//! record being handled (R30), the purpose shown (R31), matched characters
//! highlighted, hostile text cleaned.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::screen::render_app;

use chrono::{TimeZone, Utc};
use hotline::domain::model::{CustomerClass, Role};
use hotline::i18n::Lang;
use hotline::keymap::Keymap;
use hotline::search::{Field, Hit};
use hotline::store::agents::Agent;
use hotline::store::archive::{CallbackRow, ComplaintRow, ContactRow, Record, Summary};
use hotline::ui::app::{App, View};
use hotline::ui::customer::CustomerState;
use hotline::ui::search::{InHand, ReasonPrompt, SearchState};
use hotline::ui::textarea::TextArea;
use ratatui::style::Modifier;

/// Monday 2026-03-16 10:00 in Shanghai.
fn now() -> i64 {
    Utc.with_ymd_and_hms(2026, 3, 16, 2, 0, 0)
        .single()
        .expect("time")
        .timestamp()
}

fn app(lang: Lang) -> App {
    let me = Agent {
        id: 2,
        login: "lina".into(),
        name: "李娜".into(),
        role: Role::Agent,
        active: true,
    };
    let keymap = Keymap::builtin("default").expect("keymap");
    let mut a = App::new(me, lang, keymap, now(), false);
    a.tz = chrono_tz::Asia::Shanghai;
    a.loaded = true;
    a
}

fn summary(id: i64, code: &str, name: &str, phone: &str, class: CustomerClass) -> Summary {
    Summary {
        id,
        code: Some(code.into()),
        name: name.into(),
        phone: phone.into(),
        phones: 1,
        plate: String::new(),
        company: String::new(),
        address: String::new(),
        class: Some(class),
        confidential: false,
        last_contact_at: None,
    }
}

fn hit(id: i64, name: &str, field: Field, matches: &[usize]) -> Hit {
    Hit {
        id,
        score: 0,
        field,
        name: name.into(),
        name_matches: matches.to_vec(),
    }
}

/// "zs 5678" typed, three results.
fn searching(lang: Lang, in_hand: bool) -> App {
    let mut a = app(lang);
    let hand = in_hand.then(|| InHand {
        complaint_id: 7,
        number: "C20260316-0007".into(),
        customer_id: Some(1),
    });
    let mut s = SearchState::new(View::Queue, hand);
    s.input = TextArea::with_text("zs 5678", false, 100);
    s.ran = "zs 5678".into();
    s.took_ms = 3.0;
    s.hits = vec![
        hit(1, "张三", Field::Initials, &[0, 1]),
        hit(2, "张三丰", Field::Initials, &[0, 1]),
        hit(3, "Zhang Shan\u{1b}[2J", Field::Initials, &[0, 6]),
    ];
    let mut a1 = summary(1, "K00000001", "张三", "13912345678", CustomerClass::A);
    a1.plate = "粤B12345".into();
    a1.company = "深圳市华强科技有限公司".into();
    let mut a2 = summary(2, "K00000002", "张三丰", "13800005678", CustomerClass::C);
    a2.address = "北京市海淀区中关村大街1号".into();
    let a3 = summary(
        3,
        "K00000003",
        "Zhang Shan",
        "075512345678",
        CustomerClass::D,
    );
    for x in [a1, a2, a3] {
        s.summaries.insert(x.id, x);
    }
    a.search = Some(s);
    a.view = View::Search;
    a
}

fn record(handling: bool) -> Record {
    let mut s = summary(1, "K00000001", "张三", "13912345678", CustomerClass::A);
    s.company = "深圳市华强科技有限公司".into();
    s.address = "广东省深圳市南山区科技园南路88号".into();
    s.plate = "粤B12345".into();
    let complaint = |id: i64, status: &str, sev: &str, subject: &str, days: i64| ComplaintRow {
        id,
        number: format!("C2026031{}-00{id:02}", 6 - days.min(6)),
        status: status.into(),
        severity: sev.into(),
        subject: subject.into(),
        registered_at: now() - days * 86_400,
        assignee: "李娜".into(),
        category_zh: "服务质量".into(),
        category_en: "Service quality".into(),
    };
    Record {
        summary: s,
        phones: vec!["13912345678".into(), "01012345678".into()],
        plates: vec!["粤B12345".into()],
        notes: "老客户，偏好下午联系\n第二行".into(),
        created_at: now() - 400 * 86_400,
        updated_at: now() - 86_400,
        complaints: vec![
            complaint(7, "in_progress", "major", "宽带断网三天无人处理", 0),
            complaint(3, "closed", "general", "账单金额有误", 5),
        ],
        contacts: vec![ContactRow {
            started_at: now() - 5 * 86_400,
            inbound: false,
            method: "phone".into(),
            agent: "李娜".into(),
            outcome: "resolved".into(),
            notes: "已退款".into(),
            complaint: "C20260311-0003".into(),
        }],
        callbacks: vec![CallbackRow {
            id: 9,
            complaint: "C20260316-0007".into(),
            due_at: now() + 3600,
            purpose: "follow_up".into(),
            assignee: String::new(),
            assignee_role: Some(Role::Supervisor),
            attempts: 1,
            max_attempts: 3,
        }],
        handling,
        purpose: if handling {
            "C20260316-0007".into()
        } else {
            "客户来电查询".into()
        },
    }
}

fn viewing(lang: Lang, handling: bool) -> App {
    let mut a = app(lang);
    a.customer = Some(CustomerState::new(record(handling), View::Search));
    a.view = View::Customer;
    a
}

#[test]
fn r30_r31_search_en_80x24() {
    let a = searching(Lang::En, false);
    let (buf, s) = render_app(&a, 80, 24);
    // R30: masked in the list; R31: the agent will be asked for a reason.
    assert!(
        s.contains("139****5678") && !s.contains("13912345678"),
        "{s}"
    );
    assert!(
        s.contains("Opening a record asks for a reason (R31)"),
        "{s}"
    );
    // Hostile text from the index is cleaned.
    assert!(
        s.contains("Zhang Shan[2J") || s.contains("Zhang Shan"),
        "{s}"
    );
    // The matched characters of the first name are highlighted.
    let row = (0..24)
        .find(|&y| (0..80).any(|x| buf[(x, y)].symbol() == "张"))
        .expect("a row with 张");
    let cell = (0..80).map(|x| &buf[(x, row)]).find(|c| c.symbol() == "张");
    assert!(
        cell.is_some_and(|c| c.modifier.contains(Modifier::UNDERLINED)),
        "张 is not highlighted"
    );
    // So are the typed digits of the phone ("5678"), not the rest of it.
    let phone_at = (0..77)
        .find(|&x| {
            (0..4)
                .map(|i| buf[(x + i, row)].symbol())
                .collect::<String>()
                == "5678"
        })
        .expect("the phone's last four digits");
    for x in phone_at..phone_at + 4 {
        assert!(
            buf[(x, row)].modifier.contains(Modifier::UNDERLINED),
            "digit at {x} not underlined"
        );
    }
    assert!(
        !buf[(phone_at - 1, row)]
            .modifier
            .contains(Modifier::UNDERLINED),
        "the mask is not underlined"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn r31_search_with_complaint_in_hand_zh_120x40() {
    let a = searching(Lang::Zh, true);
    let (_, s) = render_app(&a, 120, 40);
    assert!(s.contains("查阅目的：当前投诉 C20260316-0007"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn r31_reason_prompt_zh_80x24() {
    let mut a = searching(Lang::Zh, false);
    if let Some(s) = a.search.as_mut() {
        s.reason = Some(ReasonPrompt {
            customer_id: 1,
            name: "张三".into(),
            text: TextArea::with_text("客户来电", false, 200),
            error: true,
            restored: false,
        });
    }
    let (_, s) = render_app(&a, 80, 24);
    assert!(
        s.contains("查阅原因（R31，必填）") && s.contains("请填写查阅原因"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn r30_customer_record_masked_en_80x24() {
    let (_, s) = render_app(&viewing(Lang::En, false), 80, 24);
    assert!(
        s.contains("139****5678") && !s.contains("139 1234 5678"),
        "{s}"
    );
    assert!(s.contains("Opened for: 客户来电查询"), "{s}");
    assert!(
        s.contains("Complaints (2)") && s.contains("Open callbacks (1)"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn r30_customer_record_being_handled_zh_120x40() {
    let (_, s) = render_app(&viewing(Lang::Zh, true), 120, 40);
    // The record being handled shows the whole numbers.
    assert!(
        s.contains("139 1234 5678") && s.contains("010-12345678"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}
