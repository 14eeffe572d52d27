//! Every action the built-in keymaps bind is taken by the screen (or the
//! overlay) that has the keyboard in that binding's context, or by the
//! actions every screen shares: no key answers "not yet" or does nothing
//! because nobody handles its action there (issue 13).
// Test code speaks through panics: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use hotline::domain::model::{CustomerClass, Role, Status};
use hotline::domain::queue::{Item, ItemKind, StoredClock};
use hotline::i18n::{Lang, Msg};
use hotline::keymap::{Context, Keymap};
use hotline::store::agents::Agent;
use hotline::store::archive::{ComplaintRow, Record, Summary};
use hotline::store::calls::OutcomeCode;
use hotline::ui::app::{App, Event, View};
use hotline::ui::call::CallData;
use hotline::ui::screens::Handled;

const T: i64 = 1_800_000_000;

fn item(kind: ItemKind, id: i64) -> Item {
    Item {
        number: format!("C20270115-000{id}"),
        status: Status::InProgress,
        subject: "宽带断网".into(),
        customer_id: Some(3),
        customer_name: "张三".into(),
        phone: "13800138000".into(),
        class: CustomerClass::A,
        category_zh: "服务中断".into(),
        category_en: "Service outage".into(),
        received_at: T - 3600,
        channel: "phone".into(),
        close: Some(StoredClock {
            risk: T + 100,
            due: T + 200,
            met: None,
        }),
        version: 1,
        ..Item::new(kind, id)
    }
}

fn call_data() -> CallData {
    CallData {
        scripts_zh: vec![],
        scripts_en: vec![],
        codes: hotline::domain::outcome::DEFAULT_CODES
            .iter()
            .map(|(code, effect, key, zh, en)| OutcomeCode {
                code: code.to_string(),
                effect: *effect,
                key: key.to_string(),
                label_zh: zh.to_string(),
                label_en: en.to_string(),
            })
            .collect(),
        draft: None,
        center_zh: "客服中心".into(),
        center_en: "Center".into(),
        questions: vec![("满意吗".into(), "Satisfied?".into())],
        departments: vec![("售后服务部".into(), "After-sales".into())],
        version: 1,
        survey_due_hours: 72,
        retry_after_minutes: 120,
    }
}

fn record() -> Record {
    Record {
        summary: Summary {
            id: 3,
            name: "张三".into(),
            ..Summary::default()
        },
        phones: vec!["13800138000".into()],
        plates: vec![],
        notes: String::new(),
        created_at: T - 86_400,
        updated_at: T - 3600,
        complaints: vec![ComplaintRow {
            id: 1,
            number: "C20270115-0001".into(),
            status: "in_progress".into(),
            severity: "general".into(),
            subject: "宽带断网".into(),
            registered_at: T - 3600,
            assignee: "王芳".into(),
            category_zh: "服务中断".into(),
            category_en: "Service outage".into(),
        }],
        contacts: vec![],
        callbacks: vec![],
        handling: true,
        purpose: "complaint".into(),
    }
}

/// An app (a supervisor, so the wallboard opens) whose keyboard is in
/// `ctx`, on the screen that context is for.
fn app_in(ctx: Context, keymap: &str) -> App {
    let me = Agent {
        id: 7,
        login: "wang".into(),
        name: "王芳".into(),
        role: Role::Supervisor,
        active: true,
    };
    let mut a = App::new(me, Lang::En, Keymap::builtin(keymap).unwrap(), T, false);
    let items = vec![item(ItemKind::Complaint, 1), item(ItemKind::Complaint, 2)];
    a.handle(Event::Queue(Ok(items)), T);
    match ctx {
        Context::Global | Context::Queue => {}
        Context::Detail => {
            a.action(hotline::keymap::Action::Open);
        }
        Context::Search => {
            a.action(hotline::keymap::Action::OpenSearch);
        }
        Context::Customer => {
            a.handle(Event::CustomerLoaded(Box::new(Ok(record()))), T);
        }
        Context::Call => {
            let loaded = Ok((item(ItemKind::Complaint, 1), call_data()));
            a.handle(Event::CallLoaded(Box::new(loaded)), T);
        }
        Context::Form => {
            a.handle(Event::FormLoaded(Box::new(Ok((vec![], None)))), T);
        }
        Context::Help => {
            a.action(hotline::keymap::Action::Help);
        }
        Context::Wallboard => {
            a.open_wallboard();
        }
        Context::Report => {
            a.open_wallboard();
            a.action(hotline::keymap::Action::OpenReport);
            assert_eq!(a.view, View::Report);
        }
    }
    let expected = if ctx == Context::Global {
        Context::Queue
    } else {
        ctx
    };
    assert_eq!(a.context(), expected, "{keymap}: the app is not in {ctx}");
    a
}

#[test]
fn every_bound_action_is_handled_in_its_context() {
    let mut checked = 0;
    let mut unhandled = Vec::new();
    for keymap in ["default", "vim"] {
        let map = Keymap::builtin(keymap).unwrap();
        for &ctx in Context::ALL {
            for b in map.bindings(ctx) {
                let mut a = app_in(ctx, keymap);
                let handled = a.try_action(b.action);
                let not_yet = a
                    .flash
                    .as_ref()
                    .is_some_and(|f| f.text == Msg::NotYet.text(Lang::En));
                if matches!(handled, Handled::NotMine) || not_yet {
                    unhandled.push(format!(
                        "{keymap} [{ctx}] {} = {}",
                        hotline::keymap::format_key(&b.key),
                        b.action
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "only {checked} bindings checked");
    assert!(
        unhandled.is_empty(),
        "bound but not handled where bound:\n{}",
        unhandled.join("\n")
    );
}
