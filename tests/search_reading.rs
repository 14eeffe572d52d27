//! Issue 14: the search box shows how the engine read the query — a phone
//! number as written, a typo, a southern-pinyin sound — with the real
//! engine behind it, rendered on `TestBackend` at 80x24 and 200x60, in
//! English and Chinese.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::screen::render_app;

use hotline::domain::model::Role;
use hotline::i18n::Lang;
use hotline::keymap::Keymap;
use hotline::search::{CustomerKeys, Index, Options};
use hotline::store::agents::Agent;
use hotline::ui::app::{App, View};
use hotline::ui::search::SearchState;
use hotline::ui::textarea::TextArea;

fn customer(id: i64, name: &str, phone: &str) -> CustomerKeys {
    CustomerKeys {
        id,
        name: name.into(),
        phones: vec![phone.into()],
        class: 'C',
        ..CustomerKeys::default()
    }
}

fn index() -> Index {
    let mut all: Vec<CustomerKeys> = (0..500)
        .map(|i| customer(100 + i, "王五", &format!("1391234{:04}", i)))
        .collect();
    all.push(customer(1, "张三", "18354651587"));
    all.push(customer(2, "岑宁", "13900000002"));
    all.push(customer(3, "陈林", "13900000003"));
    Index::build(all)
}

/// The search screen after typing `q` (the engine ran on it).
fn typed(q: &str, lang: Lang, opts: Options) -> (App, Vec<i64>) {
    let me = Agent {
        id: 2,
        login: "lina".into(),
        name: "李娜".into(),
        role: Role::Agent,
        active: true,
    };
    let keymap = Keymap::builtin("default").expect("keymap");
    let mut a = App::new(me, lang, keymap, 1_773_626_400, false);
    a.loaded = true;
    let mut s = SearchState::new(View::Queue, None);
    s.set_options(opts);
    s.input = TextArea::with_text(q, false, 100);
    s.stale = true;
    let ids = s.run(&index(), false);
    a.search = Some(s);
    a.view = View::Search;
    (a, ids)
}

#[test]
fn a_written_phone_number_is_shown_as_the_number_it_was_read_as() {
    let (a, ids) = typed("+86 183 5465 1587", Lang::En, Options::default());
    assert_eq!(ids.first(), Some(&1));
    let (_, screen) = render_app(&a, 80, 24);
    assert!(screen.contains("read as: phone 18354651587"), "{screen}");
    // What the agent typed stays visible as typed.
    assert!(screen.contains("/ +86 183 5465 1587"), "{screen}");
    let (a, _) = typed("(010) 8888-1234 转123", Lang::Zh, Options::default());
    let (_, screen) = render_app(&a, 80, 24);
    assert!(
        screen.contains("理解为: 电话 01088881234 转123"),
        "{screen}"
    );
    // Plain digits need no explanation.
    let (a, _) = typed("18354651587", Lang::En, Options::default());
    let (_, screen) = render_app(&a, 80, 24);
    assert!(!screen.contains("read as"), "{screen}");
}

#[test]
fn a_typo_and_a_sound_say_what_they_matched() {
    let (a, ids) = typed("zhagnsan 1587", Lang::En, Options::default());
    assert_eq!(ids, vec![1]);
    let (_, screen) = render_app(&a, 200, 60);
    assert!(screen.contains("read as: zhagnsan ≈ zhangsan"), "{screen}");
    let on = Options { fuzzy_pinyin: true };
    let (a, ids) = typed("chenlin", Lang::Zh, on);
    assert_eq!(ids, vec![3, 2], "exact pinyin first, then the sound");
    // The best hit is exact: nothing to explain.
    let (_, screen) = render_app(&a, 80, 24);
    assert!(!screen.contains("理解为"), "{screen}");
    let (a, ids) = typed("cenlin", Lang::Zh, on);
    assert_eq!(ids.first(), Some(&2));
    let (_, screen) = render_app(&a, 80, 24);
    assert!(
        screen.contains("理解为: cenlin ≈ cenning（模糊音）"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}
