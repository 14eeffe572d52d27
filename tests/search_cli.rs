//! `hotline search` through the real binary on a real file: what matches
//! (pinyin full / initials / mixed, phone runs, plate spellings, codes,
//! several terms), the ranking, and R30 (confidential customers per role,
//! masked phones). The engine's own unit tests (src/search/tests.rs) cover
//! the same ground on the index alone.
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

const CUSTOMERS: &str = "客户编号,姓名,手机,电话,车牌号,客户等级,公司,地址\n\
K001,张三,13912345678,,粤B-12345,C,深圳市华强科技有限公司,广东省深圳市南山区科技园南路88号\n\
K002,张三丰,13800005678,,,C,,\n\
K003,张山森,13700001234,,,C,,\n\
K004,李四,13800138000,010-12345678,京A·88K88,B,,北京市海淀区\n\
K005,Li Wei,15000000000,,,D,,\n\
K006,单田芳,18700000000,,,C,,\n\
K007,王五,13600007777,,,A,,\n\
K008,王五,13600008888,,,C,,\n\
K009,赵敏,13500009999,,,C,,\n";

fn setup() -> TempDb {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    db.add_agent("zhao", "Zhao Lei", "supervisor");
    let file = db.dir.path().join("c.csv");
    std::fs::write(&file, CUSTOMERS).expect("write");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

/// (code, field) of every result, best first.
fn search(db: &TempDb, agent: &str, q: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["--agent", agent, "search", "--json"];
    args.extend(q);
    let out = db.run(&args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|h| {
            (
                h["code"].as_str().unwrap_or("").to_string(),
                h["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn codes(db: &TempDb, q: &[&str]) -> Vec<String> {
    search(db, "lina", q).into_iter().map(|x| x.0).collect()
}

#[test]
fn pinyin_full_initials_chinese_and_mixed() {
    let db = setup();
    for q in [
        "zs", "zhangsan", "张三", "ZhangSan", "zhangs", "zsan", "zhs",
    ] {
        assert_eq!(
            codes(&db, &[q]).first().map(String::as_str),
            Some("K001"),
            "{q}"
        );
    }
    assert_eq!(search(&db, "lina", &["zhangsan"])[0].1, "pinyin");
    assert_eq!(search(&db, "lina", &["zs"])[0].1, "initials");
    assert_eq!(search(&db, "lina", &["张三"])[0].1, "name");
    // Surnames with several readings are found under each (单: shan, dan).
    for q in ["shantianfang", "dantianfang", "stf", "dtf"] {
        assert_eq!(codes(&db, &[q]), vec!["K006"], "{q}");
    }
    // Latin names: whole, parts, initials.
    for q in ["liwei", "Li", "wei", "lw"] {
        assert!(codes(&db, &[q]).contains(&"K005".to_string()), "{q}");
    }
}

#[test]
fn phone_by_any_run_of_three_digits() {
    let db = setup();
    // The last four digits.
    assert_eq!(codes(&db, &["5678"]), vec!["K001", "K002", "K004"]);
    assert_eq!(search(&db, "lina", &["5678"])[0].1, "phone");
    // A run in the middle, the whole number, +86, a landline.
    assert_eq!(codes(&db, &["0013800"]), vec!["K004"]);
    assert_eq!(codes(&db, &["13800138000"]), vec!["K004"]);
    assert_eq!(codes(&db, &["+8613800138000"]), vec!["K004"]);
    assert_eq!(codes(&db, &["010-1234"]), vec!["K004"]);
    // Fewer than three digits never match a phone.
    assert!(codes(&db, &["77"]).is_empty());
}

#[test]
fn plates_in_any_spelling() {
    let db = setup();
    for q in [
        "粤B12345",
        "粤b-12345",
        "b12345",
        "B-123",
        "粤Ｂ１２３４５",
        "b123",
    ] {
        assert_eq!(codes(&db, &[q]), vec!["K001"], "{q}");
    }
    for q in ["京A88K88", "a·88k88", "88K8"] {
        assert_eq!(codes(&db, &[q]), vec!["K004"], "{q}");
    }
    assert_eq!(search(&db, "lina", &["b12345"])[0].1, "plate");
}

#[test]
fn several_terms_and_together() {
    let db = setup();
    // 张三 (initials zs exactly) and 张三丰 (zsf) both end in 5678.
    assert_eq!(codes(&db, &["zs", "5678"]), vec!["K001", "K002"]);
    assert_eq!(codes(&db, &["zs 5678"]), vec!["K001", "K002"]);
    assert_eq!(codes(&db, &["5678", "zs"]), vec!["K001", "K002"]);
    assert_eq!(codes(&db, &["zsf", "5678"]), vec!["K002"]);
    assert_eq!(codes(&db, &["zhang", "南山"]), vec!["K001"]);
    assert!(codes(&db, &["zs", "lisi"]).is_empty());
    // Company and address, and codes by prefix.
    assert_eq!(codes(&db, &["华强"]), vec!["K001"]);
    assert_eq!(codes(&db, &["海淀"]), vec!["K004"]);
    assert_eq!(codes(&db, &["k00"]).len(), 9);
}

#[test]
fn ranking_exact_code_then_name_prefix_fuzzy_class_a_recency() {
    let db = setup();
    // Exact name, then prefix, then fuzzy (张山森 = zhang-shan-sen holds
    // z-h-a-n-g-s-a-n in order).
    assert_eq!(codes(&db, &["zhangsan"]), vec!["K001", "K002", "K003"]);
    // An exact code beats an exact name.
    let c = db.conn();
    c.execute("UPDATE customers SET code = 'ZS' WHERE code = 'K009'", [])
        .expect("update");
    assert_eq!(
        codes(&db, &["zs"])[..2],
        ["ZS".to_string(), "K001".to_string()]
    );
    // Two 王五: class A first, all else equal.
    assert_eq!(codes(&db, &["wangwu"]), vec!["K007", "K008"]);
    // Same class: the most recent contact breaks the tie.
    c.execute("UPDATE customers SET class = 'c' WHERE code = 'K007'", [])
        .expect("update");
    c.execute(
        "UPDATE customers SET last_contact_at = 1800000000 WHERE code = 'K008'",
        [],
    )
    .expect("update");
    assert_eq!(codes(&db, &["wangwu"]), vec!["K008", "K007"]);
}

#[test]
fn r30_confidential_hidden_from_agents_and_phones_masked() {
    let db = setup();
    db.conn()
        .execute(
            "UPDATE customers SET confidential = 1 WHERE code = 'K001'",
            [],
        )
        .expect("update");
    // Not listed, not counted, for an agent.
    assert_eq!(codes(&db, &["zhang"]), vec!["K002", "K003"]);
    assert!(codes(&db, &["粤B12345"]).is_empty());
    // A supervisor sees it.
    let sup: Vec<String> = search(&db, "zhao", &["zhang"])
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(sup, vec!["K001", "K002", "K003"]);
    // Phones are masked in results, for every role.
    let out = db.run(&["--agent", "zhao", "search", "lisi"], "");
    let text = stdout(&out);
    assert!(
        text.contains("138****8000") && !text.contains("13800138000"),
        "{text}"
    );
    // An unknown agent is refused.
    let out = db.run(&["--agent", "nobody", "search", "zs"], "");
    assert!(!out.status.success());
}
