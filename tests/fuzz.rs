//! Issue 11's fuzzing: the intake JSON, the CSV importer, the script-file
//! parser and the keymap parser fed generated and mutated inputs (proptest;
//! a failure is shrunk and kept in `tests/fuzz.proptest-regressions`, which
//! proptest replays first on every later run). Properties: no panic; what a
//! parser accepts is clean (no control character gets through); and a
//! registration or an import is whole or nothing in a real database.
//!
//! `FUZZ_CASES` sets the cases per parser property (default 1,000 here;
//! the long run, `FUZZ_CASES=250000 cargo test --release --test fuzz`,
//! feeds over 1,000,000 inputs in all). The figures are printed.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;

use hotline::domain::customer_csv::{self, Encoding, Header};
use hotline::domain::{intake, script_file};
use hotline::keymap::Keymap;

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn config(n: u32) -> Config {
    Config {
        cases: n,
        max_shrink_iters: 2000,
        // Found failures are kept here and replayed first on every run.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "tests/fuzz.proptest-regressions",
            ),
        )),
        ..Config::default()
    }
}

static FED: AtomicU64 = AtomicU64::new(0);

fn fed() {
    FED.fetch_add(1, Ordering::Relaxed);
}

/// Bytes that break parsers and terminals.
const NASTY: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b"\0",
    b"\x1b[2J",
    b"\x1b]52;c;QQ==\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"=",
    b"=cmd|' /C calc'!A0",
    b"\"\"",
    b";",
    "张".as_bytes(),
    b"\t",
    b"'",
    b"#",
    b"=\n",
    b"[[",
    b"]]",
    b"1e999",
    b"-",
    b"99999999999999999999",
];

/// A mutation of `seed`: a few edits at positions chosen by the strategy.
fn mutated(seed: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            0u8..5,
            any::<prop::sample::Index>(),
            0usize..NASTY.len(),
            any::<u8>(),
        ),
        0..8,
    )
    .prop_map(move |edits| {
        let mut b = seed.to_vec();
        for (op, at, nasty, byte) in edits {
            let i = if b.is_empty() {
                0
            } else {
                at.index(b.len() + 1)
            };
            match op {
                0 => b.splice(i..i, NASTY[nasty].iter().copied()).for_each(drop),
                1 if i < b.len() => b[i] = byte,
                2 if i < b.len() => {
                    let end = (i + 1 + usize::from(byte) % 16).min(b.len());
                    b.drain(i..end);
                }
                3 if i < b.len() => {
                    let end = (i + usize::from(byte) % 32).min(b.len());
                    let part = b[i..end].to_vec();
                    b.splice(i..i, part).for_each(drop);
                }
                _ => b.insert(i.min(b.len()), byte),
            }
        }
        b
    })
}

fn no_control(s: &str) -> bool {
    s.chars().all(|c| !c.is_control() || c == '\n' || c == '\t')
}

const JSON_SEED: &[u8] = r#"{"channel":"phone","category":"service","severity":"major","major_reasons":["media"],"subject":"宽带断网三天","description":"第一行\n第二行","received_at":"2026-11-22 09:30","customer":{"name":"张三","phones":["138 0013 8000","010-12345678"],"plate":"粤B-12345","class":"A","code":"K1","notes":"x"}}"#.as_bytes();

const CSV_SEED: &[u8] = "客户编号,姓名,手机,电话,车牌号,客户等级,公司,地址,备注\r\nK001,张三,139 1234 5678,010-12345678,粤B-12345,A,深圳华强,\"南山区\n科技园\",老客户\r\n,王五,13600007777；13600008888,,,C类,,,\r\n".as_bytes();

const SCRIPT_SEED: &[u8] = r#"[[script]]
id = "greeting"
kind = "greeting"
zh.title = "问候"
zh.body = "您好，我是{agent_name}，工号{agent_id}。"
en.title = "Greeting"
en.body = "Hello, this is {agent_name}."
"#
.as_bytes();

const KEYMAP_SEED: &[u8] = r#"[global]
"q"      = { action = "quit", en = "Quit hotline", zh = "退出程序" }
"Ctrl-c" = { action = "quit", en = "Quit hotline", zh = "退出程序" }
[queue]
"j"      = { action = "down", en = "Down", zh = "下移" }
"#
.as_bytes();

fn builtin() -> &'static Keymap {
    static K: std::sync::OnceLock<Keymap> = std::sync::OnceLock::new();
    K.get_or_init(|| Keymap::builtin("default").expect("builtin"))
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0)
        .single()
        .expect("time")
}

proptest! {
    #![proptest_config(config(cases(1000)))]

    #[test]
    fn intake_json_never_panics_and_accepts_only_clean_text(b in prop_oneof![mutated(JSON_SEED), prop::collection::vec(any::<u8>(), 0..300)]) {
        fed();
        let text = String::from_utf8_lossy(&b);
        if let Ok(c) = intake::from_json(&text, chrono_tz::Asia::Shanghai, now()) {
            prop_assert!(no_control(&c.subject) && !c.subject.contains('\n'));
            prop_assert!(no_control(&c.description));
            prop_assert!(!c.subject.is_empty());
        }
    }

    #[test]
    fn csv_rows_never_panic_and_accepted_rows_are_clean(b in prop_oneof![mutated(CSV_SEED), prop::collection::vec(any::<u8>(), 0..300)]) {
        fed();
        for enc in [Encoding::Auto, Encoding::Gb18030] {
            let Ok((text, _)) = customer_csv::decode(&b, enc) else { continue };
            let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
            let mut header: Option<Header> = None;
            for rec in r.records() {
                let Ok(rec) = rec else { continue };
                let cells: Vec<&str> = rec.iter().collect();
                match &header {
                    None => header = Header::parse(&cells).ok().map(|h| h.0),
                    Some(h) => {
                        if let Ok(c) = customer_csv::row(h, &cells) {
                            prop_assert!(!c.name.is_empty() && no_control(&c.name) && !c.name.contains('\n'));
                            // Stored form: digits, `+` where given, `x` before an extension.
                            prop_assert!(c.phones.iter().all(|p| p.chars().all(|d| d.is_ascii_digit() || d == '+' || d == 'x')));
                            prop_assert!(c.phones.len() <= hotline::domain::customer::MAX_PHONES);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn script_files_never_panic_and_round_trip(b in prop_oneof![mutated(SCRIPT_SEED), prop::collection::vec(any::<u8>(), 0..300)]) {
        fed();
        let text = String::from_utf8_lossy(&b);
        if let Ok(defs) = script_file::parse(&text, "fuzz.toml") {
            let again = script_file::parse(&script_file::write(&defs), "again.toml");
            prop_assert_eq!(again.as_ref().ok(), Some(&defs), "{:?}", again);
        }
    }

    #[test]
    fn keymaps_never_panic(b in prop_oneof![mutated(KEYMAP_SEED), prop::collection::vec(any::<u8>(), 0..200)]) {
        fed();
        let text = String::from_utf8_lossy(&b);
        let _ = Keymap::from_toml(&text, "fuzz.toml");
        let mut k = builtin().clone();
        let _ = k.merge_toml(&text, "fuzz.toml");
    }
}

/// Registration through the real store, whole or nothing: after each
/// input the database has either exactly one more complaint (or report)
/// with its events, or exactly what it had.
#[test]
fn registrations_are_whole_or_nothing() {
    let t = common::TempDb::new();
    let db = std::cell::RefCell::new(
        hotline::store::Db::open(&t.path, hotline::store::OpenMode::Existing).expect("db"),
    );
    let counts = |c: &rusqlite::Connection| -> [i64; 4] {
        let one = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
        [
            one("SELECT count(*) FROM complaints"),
            one("SELECT count(*) FROM complaint_reports"),
            one("SELECT count(*) FROM customers"),
            one("SELECT count(*) FROM complaint_events WHERE kind = 'registered'"),
        ]
    };
    let mut runner = proptest::test_runner::TestRunner::new(config(cases(1000) / 5));
    let (ok, refused) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let check = t.conn();
    runner
        .run(&mutated(JSON_SEED), |b| {
            fed();
            let text = String::from_utf8_lossy(&b).into_owned();
            let before = counts(&check);
            let r = db.borrow_mut().write_with_settings(|tx, s| {
                let now = hotline::clock::now();
                let nc = intake::from_json(&text, s.calendar.tz, now)?;
                hotline::store::complaints::register(
                    tx,
                    &nc,
                    hotline::store::complaints::Actor::SYSTEM,
                    s,
                    now.timestamp(),
                )
            });
            let after = counts(&check);
            match r {
                Ok(reg) if reg.attached => prop_assert_eq!(after[1], before[1] + 1),
                Ok(_) => {
                    ok.set(ok.get() + 1);
                    prop_assert_eq!(after[0], before[0] + 1);
                    prop_assert_eq!(after[3], before[3] + 1);
                }
                Err(_) => {
                    refused.set(refused.get() + 1);
                    prop_assert_eq!(after, before, "a refused input changed the database");
                }
            }
            Ok(())
        })
        .expect("whole or nothing");
    let (ok, refused) = (ok.get(), refused.get());
    println!("registrations: {ok} stored whole, {refused} refused with nothing stored");
    assert!(ok > 0 && refused > 0, "the fuzzer must hit both sides");
}

/// The real importer (`hotline import customers`) on mutated files: exit
/// 0, 2 or 3, never a panic; a refused file (2) changes nothing.
#[test]
fn the_real_importer_survives_mutated_files() {
    let t = common::TempDb::new();
    let mut runner = proptest::test_runner::TestRunner::new(config(cases(1000) / 50));
    let n = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&mutated(CSV_SEED), |b| {
            fed();
            let i = n.fetch_add(1, Ordering::Relaxed);
            let f = t.dir.path().join(format!("f{i}.csv"));
            std::fs::write(&f, &b).expect("write");
            let before = t.count("SELECT count(*) FROM customers");
            let out = t.run(&["import", "customers", f.to_str().expect("path")], "");
            let code = out.status.code();
            prop_assert!(
                matches!(code, Some(0 | 2 | 3)),
                "{:?}: {}",
                code,
                common::stderr(&out)
            );
            prop_assert!(!common::stderr(&out).contains("panicked"));
            if code == Some(2) {
                prop_assert_eq!(t.count("SELECT count(*) FROM customers"), before);
            }
            Ok(())
        })
        .expect("importer");
    assert!(t.integrity_ok());
}

#[test]
fn zz_report_inputs_fed() {
    // Runs last in name order when single-threaded; with threads it is a
    // lower bound of this process's count.
    println!(
        "fuzz inputs fed in this process so far: {}",
        FED.load(Ordering::Relaxed)
    );
}
