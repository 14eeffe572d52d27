//! Issue 14 through the real binary on a real file: customers imported
//! from a GB18030 CSV with Chinese headers, one in traditional characters;
//! `hotline search` with phone numbers as written, typos, full-width and
//! traditional input, and southern pinyin switched on with
//! `hotline settings set search.fuzzy_pinyin on`.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use serde_json::Value;

const CUSTOMERS: &str = "客户编号,姓名,手机,电话,客户等级\n\
K001,岳朗,18354651587,,C\n\
K002,張偉,13912344302,,C\n\
K003,张三,13800004302,(010) 8888-1234 转123,C\n\
K004,岑宁,13700001111,,C\n\
K005,陈林,13700002222,,C\n\
K006,王五,13600007777,,C\n";

fn setup() -> TempDb {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    // The OS user who ran `init` is the admin (identity from the uid).
    let file = db.dir.path().join("c.csv");
    let (bytes, _, _) = encoding_rs::GB18030.encode(CUSTOMERS);
    std::fs::write(&file, &bytes).expect("write");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

/// Codes of the results, best first, and what stderr said about reading.
fn search(db: &TempDb, q: &str) -> (Vec<String>, String) {
    let out = db.run(&["--agent", "lina", "search", "--json", q], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let codes = v
        .as_array()
        .expect("array")
        .iter()
        .map(|h| h["code"].as_str().unwrap_or("").to_string())
        .collect();
    (codes, stderr(&out))
}

#[test]
fn written_numbers_typos_full_width_and_traditional() {
    let db = setup();
    for q in [
        "+86 183 5465 1587",
        "0086 183-5465-1587",
        "(183) 5465.1587",
        "１８３ ５４６５ １５８７",
    ] {
        let (codes, err) = search(&db, q);
        assert_eq!(codes.first().map(String::as_str), Some("K001"), "{q}");
        assert!(err.contains("read as: phone 18354651587"), "{q}: {err}");
    }
    // The landline imported with its extension, searched as written.
    let (codes, err) = search(&db, "010-8888-1234 ext. 123");
    assert_eq!(codes.first().map(String::as_str), Some("K003"));
    assert!(err.contains("phone 01088881234 ext 123"), "{err}");
    // A typo in the full pinyin plus the last four digits.
    let (codes, err) = search(&db, "zhagnsan 4302");
    assert_eq!(codes, vec!["K003"]);
    assert!(err.contains("zhagnsan ≈ zhangsan"), "{err}");
    assert_eq!(search(&db, "yeulang").0, vec!["K001"]);
    // Full-width letters, traditional and simplified both ways.
    assert_eq!(search(&db, "ｚｗ").0, vec!["K002"]);
    assert_eq!(search(&db, "张伟").0, vec!["K002"]);
    assert_eq!(search(&db, "張三").0, vec!["K003"]);
    // Short terms get no typo budget.
    assert!(search(&db, "wagn").0.is_empty());
}

#[test]
fn southern_pinyin_is_off_until_an_admin_turns_it_on() {
    let db = setup();
    // Off: chenlin is 陈林 only (岑宁, cen ning, is two letters away).
    assert_eq!(search(&db, "chenlin").0, vec!["K005"]);
    let bad = db.run(&["settings", "set", "search.fuzzy_pinyin", "maybe"], "");
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("search.fuzzy_pinyin"),
        "{}",
        stderr(&bad)
    );
    let ok = db.run(&["settings", "set", "search.fuzzy_pinyin", "on"], "");
    assert!(ok.status.success(), "{}", stderr(&ok));
    let (codes, err) = search(&db, "cenlin");
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(err.contains("(sounds alike)"), "{err}");
    // Exact pinyin first, the sound after.
    assert_eq!(search(&db, "chenlin").0, vec!["K005", "K004"]);
}
