//! `hotline lookup --phone` through the real binary (issue 10): the
//! caller's customers with their open complaints and pending callbacks,
//! numbers normalised as intake does, R30 per `--agent`'s role, the R31
//! audit entry for every record revealed, clear errors for bad numbers.
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

fn intake(db: &TempDb, name: &str, phone: &str, subject: &str) -> String {
    let json = format!(
        r#"{{"channel":"phone","category":"service","subject":"{subject}","customer":{{"name":"{name}","phone":"{phone}"}}}}"#
    );
    let out = db.run(&["intake"], &json);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

fn lookup(db: &TempDb, agent: &str, phone: &str) -> (Value, i32) {
    let out = db.run(
        &["--agent", agent, "lookup", "--json", "--phone", phone],
        "",
    );
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "{}", stderr(&out));
    (serde_json::from_str(&stdout(&out)).expect("json"), code)
}

fn setup() -> TempDb {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    db.add_agent("boss", "Boss", "supervisor");
    db
}

#[test]
fn finds_the_callers_customer_and_open_complaints_in_any_spelling() {
    let db = setup();
    let no = intake(&db, "张三", "138 0013 8000", "宽带断网");
    intake(&db, "李四", "13900139000", "other");
    for spelling in [
        "13800138000",
        "+86 138 0013 8000",
        "138-0013-8000",
        "+8613800138000",
    ] {
        let (v, code) = lookup(&db, "lina", spelling);
        assert_eq!(code, 0, "{spelling}");
        let cs = v["customers"].as_array().expect("customers");
        assert_eq!(cs.len(), 1, "{spelling}");
        assert_eq!(cs[0]["name"], "张三");
        assert_eq!(
            cs[0]["phones"][0], "13800138000",
            "the number asked for, whole"
        );
        let open = cs[0]["open_complaints"].as_array().expect("open");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0]["number"], no.as_str());
    }
    // Nobody has it: exit 1, an empty list.
    let (v, code) = lookup(&db, "lina", "13700137000");
    assert_eq!(
        (code, v["customers"].as_array().map(Vec::len)),
        (1, Some(0))
    );
}

#[test]
fn other_phones_masked_and_closed_complaints_left_out() {
    let db = setup();
    intake(&db, "张三", "13800138000", "one");
    let c = db.conn();
    let id: i64 = c
        .query_row("SELECT id FROM customers WHERE name = '张三'", [], |r| {
            r.get(0)
        })
        .expect("id");
    c.execute(
        "INSERT INTO customer_phones (customer_id, phone) VALUES (?1, '13911112222')",
        [id],
    )
    .expect("phone");
    c.execute("UPDATE complaints SET status = 'closed'", [])
        .expect("close");
    let (v, _) = lookup(&db, "lina", "13800138000");
    let phones: Vec<&str> = v["customers"][0]["phones"]
        .as_array()
        .expect("phones")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(phones.contains(&"13800138000"), "{phones:?}");
    assert!(phones.contains(&"139****2222"), "R30: masked: {phones:?}");
    assert_eq!(
        v["customers"][0]["open_complaints"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[test]
fn confidential_customers_only_for_roles_that_see_them_and_audited() {
    let db = setup();
    intake(&db, "张三", "13800138000", "one");
    db.conn()
        .execute("UPDATE customers SET confidential = 1", [])
        .expect("flag");
    let audits = || db.count("SELECT count(*) FROM audit WHERE action = 'view'");
    let (v, code) = lookup(&db, "lina", "13800138000");
    assert_eq!(code, 1, "R30: not even counted for an agent");
    assert_eq!(v["customers"].as_array().map(Vec::len), Some(0));
    assert_eq!(audits(), 0, "nothing revealed, nothing audited");
    let (v, code) = lookup(&db, "boss", "13800138000");
    assert_eq!(code, 0);
    assert_eq!(v["customers"][0]["name"], "张三");
    // R31: who, which record, why.
    let (login, entity, purpose): (String, i64, String) = db
        .conn()
        .query_row(
            "SELECT agent_login, entity_id, purpose FROM audit WHERE action = 'view'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("audit entry");
    let id = db.count("SELECT id FROM customers");
    assert_eq!(
        (login.as_str(), entity, purpose.as_str()),
        ("boss", id, "phone lookup")
    );
}

#[test]
fn bad_numbers_are_clear_errors_and_change_nothing() {
    let db = setup();
    intake(&db, "张三", "13800138000", "one");
    let before = db.count("SELECT count(*) FROM audit");
    for bad in [
        "",
        "   ",
        "138abc00138",
        "1234567890123456789012345678901234567890",
    ] {
        let out = db.run(&["--agent", "lina", "lookup", "--phone", bad], "");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = stderr(&out);
        assert!(err.starts_with("hotline: phone: "), "{bad:?}: {err}");
        assert_eq!(stdout(&out), "", "{bad:?}");
    }
    assert_eq!(db.count("SELECT count(*) FROM audit"), before);
}
