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
use hotline::domain::queue::{Item, ItemKind, StoredClock};
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
        number: "C20270115-0001".into(),
        status: Status::Resolved,
        subject: "宽带断网".into(),
        customer_id: Some(3),
        customer_name: "张三".into(),
        phone: "13800138000".into(),
        class: CustomerClass::A,
        category_zh: "服务中断".into(),
        category_en: "Service outage".into(),
        received_at: T - 3600,
        assignee_role: Some(Role::Agent),
        channel: "phone".into(),
        close: Some(StoredClock {
            risk: T + 100,
            due: T + 200,
            met: None,
        }),
        callback_due: (kind == ItemKind::Callback).then_some(T - 10),
        purpose: (kind == ItemKind::Callback).then_some(CallbackPurpose::Survey),
        attempts: (0, 3),
        version: 1,
        ..Item::new(kind, 1)
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
        version: 1,
        survey_due_hours: 72,
        retry_after_minutes: 120,
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
    // R23: the pick is never replaced silently; "satisfied" over answers
    // below fair is refused and the box offers the other outcome.
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(a.flash.as_ref().is_some_and(|f| f.error), "{:?}", a.flash);
    key(&mut a, KeyCode::Tab, T * 1000);
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    match fx.as_slice() {
        [Effect::RecordOutcome(s)] => {
            assert_eq!(s.code, "not_satisfied", "the agent switched to it");
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
        i.close = Some(StoredClock {
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

// ---- issue 12: every key acts on the item the agent sees ----------------

fn supervisor() -> App {
    let me = Agent {
        id: 9,
        login: "zhou".into(),
        name: "周班长".into(),
        role: Role::Supervisor,
        active: true,
    };
    App::new(me, Lang::En, Keymap::builtin("default").unwrap(), T, false)
}

fn complaint(id: i64, sev: Severity, ack: Option<Option<i64>>) -> Item {
    let mut i = item(ItemKind::Complaint);
    i.id = id;
    i.complaint_id = id;
    i.number = format!("C20270115-{id:04}");
    i.status = Status::New;
    i.severity = sev;
    i.received_at = T - 100 * id;
    i.major_ack = ack.map(|met| StoredClock {
        risk: T + 50,
        due: T + 100,
        met,
    });
    i
}

fn flash(a: &App) -> String {
    a.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn press(a: &mut App, c: char) -> Vec<Effect> {
    key(a, KeyCode::Char(c), T * 1000)
}

fn select_number(a: &mut App, number: &str) {
    press(a, 'g');
    while a.selected_item().map(|i| i.number.as_str()) != Some(number) {
        let before = a.selected;
        press(a, 'j');
        assert_ne!(before, a.selected, "{number} not in the list");
    }
}

#[test]
fn r12_acknowledge_acts_on_the_selected_item_or_says_why_not() {
    let mut a = supervisor();
    let items = vec![
        complaint(19, Severity::Important, None),
        complaint(17, Severity::Major, Some(None)),
        complaint(5, Severity::Major, Some(Some(T - 5))),
    ];
    a.handle(Event::Queue(Ok(items)), T);
    select_number(&mut a, "C20270115-0019");
    // An important complaint: nothing else gets acknowledged instead.
    let fx = press(&mut a, 'a');
    assert!(fx.is_empty(), "{fx:?}");
    assert!(flash(&a).contains("C20270115-0019"), "{}", flash(&a));
    assert!(flash(&a).contains("not a major"), "{}", flash(&a));
    select_number(&mut a, "C20270115-0005");
    assert!(press(&mut a, 'a').is_empty(), "already acknowledged");
    assert!(
        flash(&a).contains("C20270115-0005") && flash(&a).contains("already"),
        "{}",
        flash(&a)
    );
    select_number(&mut a, "C20270115-0017");
    assert_eq!(
        press(&mut a, 'a'),
        vec![Effect::Acknowledge {
            id: 17,
            number: "C20270115-0017".into()
        }]
    );
    // The answer names the number.
    a.handle(
        Event::Acted {
            number: "C20270115-0017".into(),
            result: Ok(hotline::i18n::Msg::Acknowledged),
        },
        T,
    );
    assert!(flash(&a).contains("C20270115-0017"), "{}", flash(&a));
    // The filter lists only the unacknowledged majors.
    press(&mut a, '5');
    let shown: Vec<i64> = a.rows().map(|i| i.id).collect();
    assert_eq!(shown, vec![17]);
}

#[test]
fn claiming_in_unassigned_keeps_the_cursor_and_p_asks_before_claiming() {
    let mut a = app();
    let items = vec![
        complaint(1, Severity::General, None),
        complaint(2, Severity::General, None),
    ];
    a.handle(Event::Queue(Ok(items.clone())), T);
    press(&mut a, '2'); // unassigned
    let first = a.selected_item().unwrap().number.clone();
    let fx = press(&mut a, 'c');
    assert!(
        matches!(&fx[..], [Effect::Claim { number, .. }] if *number == first),
        "{fx:?}"
    );
    // The reload shows it assigned to me: it stays under the cursor.
    let mut after = items.clone();
    for i in after.iter_mut().filter(|i| i.number == first) {
        i.assignee_id = Some(7);
        i.assignee_name = "王芳".into();
    }
    a.handle(Event::Queue(Ok(after.clone())), T);
    assert_eq!(a.selected_item().unwrap().number, first, "cursor stays");
    // p on it calls at once (it is mine).
    assert!(matches!(&press(&mut a, 'p')[..], [Effect::LoadCall(_)]));
    // Moving on lets the filter apply again; the other one is not mine:
    // p asks first and nothing is claimed until the agent says yes.
    press(&mut a, 'j');
    let other = a.selected_item().unwrap().number.clone();
    assert_ne!(other, first);
    assert!(
        a.rows().all(|i| i.number != first),
        "claimed one left the view"
    );
    assert!(press(&mut a, 'p').is_empty());
    assert!(matches!(
        a.overlay,
        hotline::ui::app::Overlay::Confirm { .. }
    ));
    assert!(press(&mut a, 'j').is_empty(), "the question swallows keys");
    assert_eq!(a.selected_item().unwrap().number, other);
    assert!(press(&mut a, 'n').is_empty());
    assert!(press(&mut a, 'p').is_empty());
    let fx = press(&mut a, 'y');
    assert!(
        matches!(&fx[..], [Effect::LoadCall(i)] if i.number == other),
        "{fx:?}"
    );
}

#[test]
fn r25_the_outcome_picked_is_recorded_and_a_contradiction_is_said() {
    let mut a = app();
    open_call(&mut a, ItemKind::Callback, None);
    press(&mut a, 'o');
    press(&mut a, '8'); // not satisfied
    press(&mut a, '4');
    press(&mut a, '4'); // answers: very good, very good = 100
    let call = a.call.as_ref().unwrap();
    assert_eq!(call.chosen().unwrap().code, "not_satisfied", "kept");
    assert!(call.survey_suggests.is_some(), "the contradiction is noted");
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    match fx.as_slice() {
        [Effect::RecordOutcome(s)] => assert_eq!(s.code, "not_satisfied"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn r8_an_open_call_notices_a_reassignment_and_refuses_to_record() {
    let mut a = app();
    open_call(&mut a, ItemKind::Complaint, None);
    // A change anywhere: the call screen asks about its complaint.
    let fx = a.handle(Event::DbChanged, T);
    assert!(fx.contains(&Effect::CheckCall(1)), "{fx:?}");
    a.handle(
        Event::CallChecked(Ok(hotline::store::complaints::State {
            version: 2,
            status: "resolved".into(),
            assignee_id: Some(8),
            assignee_name: Some("Emma Wilson".into()),
        })),
        T,
    );
    let stale = a.call.as_ref().unwrap().stale.clone().expect("stale");
    assert!(stale.contains("Emma Wilson"), "{stale}");
    press(&mut a, 'o');
    press(&mut a, '3'); // escalate: straight to confirm
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::RecordOutcome(_))),
        "{fx:?}"
    );
    assert!(flash(&a).contains("Emma Wilson"), "{}", flash(&a));
}

#[test]
fn r18_the_loop_waits_for_the_drafts_millisecond_deadline() {
    let mut a = app();
    a.handle(Event::Tick, T);
    open_call(&mut a, ItemKind::Complaint, None);
    key(&mut a, KeyCode::Char('e'), T * 1000 + 100);
    key(&mut a, KeyCode::Char('x'), T * 1000 + 200);
    // Due 600 ms after the key, not at the next whole second or minute.
    assert_eq!(a.wait_ms(T * 1000 + 200), 600);
    assert_eq!(a.wait_ms(T * 1000 + 900), 10, "overdue: at once");
    a.draft_due_ms = None;
    assert!(
        a.wait_ms(T * 1000 + 200) >= 800,
        "no draft: the next second"
    );
}

#[test]
fn go_to_a_complaint_by_its_last_digits() {
    let mut a = app();
    let items = vec![
        complaint(1, Severity::General, None),
        complaint(17, Severity::General, None),
        complaint(117, Severity::General, None),
    ];
    a.handle(Event::Queue(Ok(items)), T);
    press(&mut a, '#');
    press(&mut a, '1');
    press(&mut a, '7');
    key(&mut a, KeyCode::Enter, T * 1000);
    // "17" ends both 0017 and 0117: more digits are asked for.
    assert!(flash(&a).contains("0017") && flash(&a).contains("0117"));
    key(&mut a, KeyCode::Backspace, T * 1000);
    key(&mut a, KeyCode::Backspace, T * 1000);
    for c in "0017".chars() {
        press(&mut a, c);
    }
    key(&mut a, KeyCode::Enter, T * 1000);
    assert_eq!(a.selected_item().unwrap().number, "C20270115-0017");
    assert_eq!(a.overlay, hotline::ui::app::Overlay::None);
}

#[test]
fn r4_raising_to_major_asks_the_reason_and_lowering_says_lowered() {
    let mut a = app();
    a.handle(
        Event::Queue(Ok(vec![complaint(3, Severity::Important, None)])),
        T,
    );
    assert!(press(&mut a, '+').is_empty(), "a reason is asked first");
    press(&mut a, 'j');
    let fx = key(&mut a, KeyCode::Enter, T * 1000);
    assert_eq!(
        fx,
        vec![Effect::SetSeverity {
            id: 3,
            to: Severity::Major,
            number: "C20270115-0003".into(),
            reason: Some("regulator".into()),
        }]
    );
}

#[test]
fn a_registered_complaint_is_selected_when_the_queue_brings_it() {
    let mut a = app();
    let mut items: Vec<Item> = (1..=30)
        .map(|i| complaint(i, Severity::General, None))
        .collect();
    a.handle(Event::Queue(Ok(items.clone())), T);
    a.handle(
        Event::Registered(Ok(hotline::store::complaints::Registered {
            id: 31,
            number: "C20270115-0031".into(),
            attached: false,
        })),
        T,
    );
    items.push(complaint(31, Severity::General, None));
    a.handle(Event::Queue(Ok(items)), T);
    assert_eq!(a.selected_item().unwrap().number, "C20270115-0031");
}

#[test]
fn at_160x50_a_wrapped_chinese_line_never_spills_into_the_badge_column() {
    use ratatui::{Terminal, backend::TestBackend};
    let mut a = app();
    let items: Vec<Item> = (1..=12)
        .map(|i| complaint(i, Severity::General, None))
        .collect();
    a.handle(Event::Queue(Ok(items)), T);
    let id = a.selected_item().unwrap().complaint_id;
    // Lengths around the pane's width: one of them ends on its last cell.
    let description = (0..8)
        .map(|n| {
            format!(
                "{}{}。",
                "客户情绪平稳同意等待工程师上门检查",
                "联".repeat(n)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    a.handle(
        Event::Detail(Ok(hotline::store::queue::Detail {
            complaint_id: id,
            description,
            ..Default::default()
        })),
        T,
    );
    let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
    term.draw(|f| hotline::ui::render::render(f, &a)).unwrap();
    let buf = term.backend().buffer().clone();
    for y in 0..50 {
        let last = buf[(159, y)].symbol().to_string();
        assert!(
            unicode_width::UnicodeWidthStr::width(last.as_str()) <= 1,
            "row {y} ends in a wide character {last:?}"
        );
    }
    // Every stop of the description is on screen, inside the pane.
    let text: String = (0..50)
        .map(|y| {
            (100..159)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect();
    assert_eq!(text.matches('。').count(), 8, "{text}");
}

fn screen_of(a: &App, w: u16, h: u16) -> String {
    use ratatui::{Terminal, backend::TestBackend};
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| hotline::ui::render::render(f, a)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = Vec::new();
    for y in 0..h {
        let (mut line, mut skip) = (String::new(), 0);
        for x in 0..w {
            if skip > 0 {
                skip -= 1; // the hidden half of a wide character
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push(line);
    }
    out.join("\n")
}

#[test]
fn at_80_columns_the_name_stays_in_the_header_and_step_5_on_the_call_screen() {
    let mut a = supervisor();
    a.handle(
        Event::Queue(Ok(vec![complaint(1, Severity::General, None)])),
        T,
    );
    press(&mut a, '2');
    let s = screen_of(&a, 80, 24);
    let header = s.lines().next().unwrap_or_default();
    assert!(
        header.contains("[Unassigned]") && header.contains("周班长"),
        "{s}"
    );
    // R15: all five steps are shown on the call screen at 80 columns.
    let mut a = app();
    a.lang = Lang::En;
    open_call(&mut a, ItemKind::Complaint, None);
    let s = screen_of(&a, 80, 24);
    assert!(s.contains("5.Record in history"), "{s}");
    a.lang = Lang::Zh;
    let s = screen_of(&a, 80, 24);
    assert!(s.contains("5."), "{s}");
}

#[test]
fn r19_r20_the_confirm_box_says_what_follows() {
    let mut a = app();
    a.lang = Lang::En;
    open_call(&mut a, ItemKind::Complaint, None);
    press(&mut a, 'o');
    press(&mut a, '1'); // resolved
    let s = screen_of(&a, 80, 24);
    assert!(s.contains("Then: a satisfaction callback, due by"), "{s}");
    let mut a = app();
    a.lang = Lang::En;
    open_call(&mut a, ItemKind::Callback, None);
    press(&mut a, 'o');
    press(&mut a, '5'); // no answer
    let s = screen_of(&a, 80, 24);
    assert!(
        s.contains("Then: retried at") && s.contains("attempt 2/3"),
        "{s}"
    );
}

/// Issue 12 item 11: with help open, `j`/`k` scroll the help and never move
/// the queue behind it; `Esc` closes help with the selection where it was.
#[test]
fn help_swallows_j_and_k_and_the_queue_behind_it_stays() {
    let mut a = app();
    let mk = |id: i64| {
        let mut i = item(ItemKind::Complaint);
        i.id = id;
        i.complaint_id = id;
        i.number = format!("C20270115-{id:04}");
        i
    };
    a.handle(Event::Queue(Ok(vec![mk(1), mk(2), mk(3)])), T);
    let first = a.selected_item().unwrap().id;
    key(&mut a, KeyCode::Char('?'), T * 1000);
    assert_ne!(a.overlay, hotline::ui::app::Overlay::None, "help is open");
    for _ in 0..3 {
        key(&mut a, KeyCode::Char('j'), T * 1000);
    }
    assert_eq!(
        a.selected_item().unwrap().id,
        first,
        "j moved the queue behind help"
    );
    assert!(a.help_scroll > 0, "j scrolls the help instead");
    key(&mut a, KeyCode::Char('k'), T * 1000);
    key(&mut a, KeyCode::Esc, T * 1000);
    assert_eq!(a.overlay, hotline::ui::app::Overlay::None);
    assert_eq!(a.selected_item().unwrap().id, first);
}
