//! The TUI's update function with plain values: timing of drafts (R18) and
//! auto-close (R22), and the call flow's effects (R17).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
use hotline::domain::model::{CallbackPurpose, CustomerClass, Role, Severity, Status};
use hotline::domain::queue::{Clock, Item, ItemKind};
use hotline::i18n::Lang;
use hotline::keymap::Keymap;
use hotline::store::agents::Agent;
use hotline::store::calls::OutcomeCode;
use hotline::ui::app::{App, Effect, Event, View};
use hotline::ui::call::CallData;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const T: i64 = 1_800_000_000;

fn app() -> App {
    let me = Agent {
        id: 7,
        login: "wang".into(),
        name: "王芳".into(),
        role: Role::Agent,
        active: true,
    };
    App::new(me, Lang::Zh, Keymap::builtin("default").unwrap(), T, false)
}

fn item(kind: ItemKind) -> Item {
    Item {
        kind,
        id: 1,
        complaint_id: 1,
        number: "C20270115-0001".into(),
        severity: Severity::General,
        status: Status::Resolved,
        subject: "宽带断网".into(),
        customer_id: Some(3),
        customer_name: "张三".into(),
        phone: "13800138000".into(),
        class: CustomerClass::A,
        confidential: false,
        anonymous: false,
        category_zh: "服务中断".into(),
        category_en: "Service outage".into(),
        received_at: T - 3600,
        assignee_id: None,
        assignee_name: String::new(),
        assignee_role: Some(Role::Agent),
        channel: "phone".into(),
        complainant_count: 1,
        first_response: None,
        solution: None,
        close: Some(Clock {
            risk: T + 100,
            due: T + 200,
            met: None,
        }),
        major_ack: None,
        callback_due: (kind == ItemKind::Callback).then_some(T - 10),
        callback_risk: None,
        purpose: (kind == ItemKind::Callback).then_some(CallbackPurpose::Survey),
        attempts: (0, 3),
        version: 1,
    }
}

fn codes() -> Vec<OutcomeCode> {
    hotline::domain::outcome::DEFAULT_CODES
        .iter()
        .map(|(code, effect, key, zh, en)| OutcomeCode {
            code: code.to_string(),
            effect: *effect,
            key: key.to_string(),
            label_zh: zh.to_string(),
            label_en: en.to_string(),
        })
        .collect()
}

fn data(draft: Option<&str>) -> CallData {
    CallData {
        scripts_zh: vec![],
        scripts_en: vec![],
        codes: codes(),
        draft: draft.map(str::to_string),
        center_zh: "客服中心".into(),
        center_en: "Center".into(),
        questions: vec![
            ("满意吗".into(), "Satisfied?".into()),
            ("速度".into(), "Speed?".into()),
        ],
        departments: vec![("售后服务部".into(), "After-sales".into())],
    }
}

fn key(app: &mut App, c: KeyCode, at_ms: i64) -> Vec<Effect> {
    app.now_ms = at_ms;
    app.handle(
        Event::Key(KeyEvent::new(c, KeyModifiers::NONE)),
        at_ms / 1000,
    )
}

fn open_call(app: &mut App, kind: ItemKind, draft: Option<&str>) {
    app.handle(Event::Queue(Ok(vec![item(kind)])), T);
    app.handle(
        Event::CallLoaded(Box::new(Ok((item(kind), data(draft))))),
        T,
    );
    assert_eq!(app.view, View::Call);
}

#[test]
fn r22_a_running_tui_auto_closes_at_start_and_every_ten_minutes() {
    let mut a = app();
    assert!(a.handle(Event::Tick, T).contains(&Effect::AutoClose));
    assert!(!a.handle(Event::Tick, T + 599).contains(&Effect::AutoClose));
    assert!(a.handle(Event::Tick, T + 600).contains(&Effect::AutoClose));
    assert!(a.next_wakeup() <= T + 1200);
}

#[test]
fn r18_a_note_is_saved_as_a_draft_shortly_after_the_last_key() {
    let mut a = app();
    a.handle(Event::Tick, T);
    open_call(&mut a, ItemKind::Complaint, None);
    key(&mut a, KeyCode::Char('e'), T * 1000);
    for (i, c) in "客户说".chars().enumerate() {
        let fx = key(&mut a, KeyCode::Char(c), T * 1000 + i as i64 * 100);
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::SaveDraft { .. })),
            "not while typing"
        );
    }
    let due = a.draft_due_ms.expect("a draft is due");
    assert!(
        due - (T * 1000 + 200) <= 1000,
        "within about a second of the last key"
    );
    assert_eq!(a.next_wakeup_ms(), due, "the loop wakes for it");
    a.now_ms = due;
    let fx = a.handle(Event::Tick, due / 1000);
    assert!(
        fx.contains(&Effect::SaveDraft {
            context: "call:C20270115-0001".into(),
            body: "客户说".into()
        }),
        "{fx:?}"
    );
    assert_eq!(a.draft_due_ms, None);
}

#[test]
fn r18_quitting_flushes_the_unsaved_draft_and_a_restored_one_is_marked() {
    let mut a = app();
    open_call(&mut a, ItemKind::Complaint, Some("上次的备注"));
    assert!(a.call.as_ref().unwrap().draft_restored);
    assert_eq!(a.call.as_ref().unwrap().note.text(), "上次的备注");
    key(&mut a, KeyCode::Char('e'), T * 1000);
    key(&mut a, KeyCode::Char('!'), T * 1000);
    a.handle(Event::Quit, T);
    assert!(a.quit);
    // The loop writes it after stopping (and waits for it).
    let fx = a.take_draft(true);
    assert!(
        matches!(&fx, Some(Effect::SaveDraft { body, .. }) if body == "上次的备注!"),
        "{fx:?}"
    );
}

#[test]
fn r17_r25_survey_callback_outcome_in_a_few_keys() {
    let mut a = app();
    open_call(&mut a, ItemKind::Callback, None);
    key(&mut a, KeyCode::Char('o'), T * 1000);
    key(&mut a, KeyCode::Char('7'), T * 1000); // "satisfied" → survey questions
    key(&mut a, KeyCode::Char('4'), T * 1000);
    key(&mut a, KeyCode::Char('1'), T * 1000); // mean of 100 and 0 = 50: not satisfied (R25)
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    match fx.as_slice() {
        [Effect::RecordOutcome(s)] => {
            assert_eq!(s.code, "not_satisfied", "R25 decides from the score");
            assert_eq!(s.callback_id, Some(1));
            assert_eq!(s.survey.as_ref().map(Vec::len), Some(2));
        }
        other => panic!("expected one RecordOutcome, got {other:?}"),
    }
}

#[test]
fn callback_only_outcomes_are_not_offered_on_a_complaint_call() {
    let mut a = app();
    open_call(&mut a, ItemKind::Complaint, None);
    key(&mut a, KeyCode::Char('o'), T * 1000);
    key(&mut a, KeyCode::Char('5'), T * 1000); // "no answer" is for callbacks
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RecordOutcome(_))),
        "{fx:?}"
    );
}

#[test]
fn r6_a_reload_keeps_the_selection_on_the_same_item_and_the_list_in_order() {
    let mut a = app();
    let mk = |id: i64, due: i64| {
        let mut i = item(ItemKind::Complaint);
        i.id = id;
        i.complaint_id = id;
        i.number = format!("C20270115-{id:04}");
        i.close = Some(Clock {
            risk: due - 10,
            due,
            met: None,
        });
        i
    };
    // Loaded in id order (as SQL returns them); R6 puts the nearest due first.
    a.handle(
        Event::Queue(Ok(vec![mk(1, T + 900), mk(2, T + 500), mk(3, T + 100)])),
        T,
    );
    let order = |a: &App| a.rows().map(|i| i.id).collect::<Vec<_>>();
    assert_eq!(order(&a), vec![3, 2, 1]);
    assert_eq!(a.selected_item().unwrap().id, 3);
    // Another process closes #2 and adds #4; the selection stays on #3.
    a.handle(
        Event::Queue(Ok(vec![mk(1, T + 900), mk(3, T + 100), mk(4, T + 50)])),
        T,
    );
    assert_eq!(order(&a), vec![4, 3, 1]);
    assert_eq!(
        a.selected_item().unwrap().id,
        3,
        "selection follows the item, not the row index"
    );
}
