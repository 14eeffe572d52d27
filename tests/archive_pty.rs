//! The customer archive in the real TUI, in a pseudo-terminal: the search
//! screen hides confidential customers from agents (R30), opening a record
//! from search asks for a reason and from the queue uses the complaint in
//! hand, and each opening leaves one audit entry (R31); a customer another
//! process adds is found within a second, without a key.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty::Pty;
use common::*;

use std::time::{Duration, Instant};

/// Generous: a debug binary on a loaded 2-core machine.
const START: Duration = Duration::from_secs(20);
const SHORT: Duration = Duration::from_secs(10);

const CUSTOMERS: &str = "客户编号,姓名,手机,车牌号,客户等级,公司\r\n\
K001,张三,13912345678,粤B-12345,A,深圳市华强科技有限公司\r\n\
K002,张伟,13700001111,,B,\r\n\
K003,李四,13800138000,京A·88K88,C,\r\n";

/// A database with an agent, a supervisor and three customers, 张伟
/// confidential.
fn setup() -> TempDb {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    db.add_agent("zhao", "Zhao Lei", "supervisor");
    import(&db, "c.csv", CUSTOMERS);
    db.conn()
        .execute(
            "UPDATE customers SET confidential = 1 WHERE code = 'K002'",
            [],
        )
        .expect("flag confidential");
    db
}

/// `hotline import customers` of `csv` (UTF-8), as the admin.
fn import(db: &TempDb, name: &str, csv: &str) -> std::process::Output {
    let file = db.dir.path().join(name);
    std::fs::write(&file, csv).expect("write csv");
    let out = db.run(
        &["import", "customers", file.to_str().expect("utf-8 path")],
        "",
    );
    assert!(out.status.success(), "import: {}", stderr(&out));
    out
}

fn id_of(db: &TempDb, code: &str) -> i64 {
    db.conn()
        .query_row("SELECT id FROM customers WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .expect("customer id")
}

fn views(db: &TempDb, id: i64) -> Vec<(String, String, String)> {
    let c = db.conn();
    let mut st = c
        .prepare(
            "SELECT agent_login, purpose, detail FROM audit
             WHERE entity = 'customer' AND entity_id = ?1 AND action = 'view' ORDER BY id",
        )
        .expect("prepare");
    st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// The TUI with the search screen open and the index built.
fn search_screen(db: &TempDb, agent: &str) -> Pty {
    let mut pty = Pty::hotline(&db.path, agent, &[], 100, 30);
    pty.wait_for("the queue", START, |s| {
        s.contains("Hotline · Queue") && !s.contains("Loading")
    });
    pty.send_keys(b"/");
    pty.wait_for("the built index", START, |s| {
        s.contains("Search customers") && s.contains("customers indexed")
    });
    pty
}

#[test]
fn r30_confidential_customers_hidden_from_agents_in_the_tui() {
    let db = setup();
    let mut pty = search_screen(&db, "lina");
    pty.send_keys(b"zhang");
    // Masked in the list (R30), once the row's details are loaded.
    let (s, _) = pty.wait_for("张三 in the results", SHORT, |s| {
        s.contains("139****5678")
    });
    assert!(!s.contains("张伟"), "R30: an agent must not see 张伟:\n{s}");
    assert!(
        s.contains("张三") && s.contains("1 result ·"),
        "R30: not counted either:\n{s}"
    );
    drop(pty);

    let mut pty = search_screen(&db, "zhao");
    pty.send_keys(b"zhang");
    let (s, _) = pty.wait_for("both", SHORT, |s| s.contains("张三") && s.contains("张伟"));
    assert!(s.contains("2 results"), "{s}");
}

#[test]
fn r31_a_record_opened_from_search_needs_a_reason_and_is_audited_each_time() {
    let db = setup();
    let id = id_of(&db, "K001");
    let mut pty = search_screen(&db, "lina");
    pty.send_keys(b"zs 5678");
    pty.wait_for("张三", SHORT, |s| s.contains("张三"));
    pty.send_keys(b"\r");
    pty.wait_for("the reason prompt", SHORT, |s| {
        s.contains("Why do you open this record?")
    });
    // An empty reason is refused and nothing is logged.
    pty.send_keys(b"\r");
    pty.wait_for("the refusal", SHORT, |s| s.contains("A reason is required"));
    assert!(views(&db, id).is_empty());
    pty.send_keys("客户来电查询".as_bytes());
    pty.send_keys(b"\r");
    let (s, _) = pty.wait_for("the record", SHORT, |s| {
        s.contains("Customer record") && s.contains("Opened for: 客户来电查询")
    });
    // No complaint in hand: the phone stays masked (R30).
    assert!(
        s.contains("139****5678") && !s.contains("139 1234 5678"),
        "{s}"
    );
    assert_eq!(
        views(&db, id),
        vec![("lina".into(), "客户来电查询".into(), "reason".into())]
    );
    // Esc goes back to the results as they were; a second opening is a
    // second entry.
    pty.send_keys(b"\x1b");
    pty.wait_for("the results again", SHORT, |s| {
        s.contains("Search customers") && s.contains("zs 5678") && s.contains("张三")
    });
    pty.send_keys(b"\r");
    pty.wait_for("the reason prompt", SHORT, |s| {
        s.contains("Why do you open this record?")
    });
    pty.send_keys(b"callback check\r");
    pty.wait_for("the record", SHORT, |s| {
        s.contains("Opened for: callback check")
    });
    assert_eq!(views(&db, id).len(), 2);
    // Esc twice: the search, then the queue.
    pty.send_keys(b"\x1b");
    pty.wait_for("the search", SHORT, |s| s.contains("Search customers"));
    pty.send_keys(b"\x1b");
    pty.wait_for("the queue", SHORT, |s| !s.contains("Search customers"));

    // Supervisors list who viewed the record; agents may not.
    let out = db.run(
        &["--agent", "zhao", "audit", "--customer", &id.to_string()],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("lina") && text.contains("客户来电查询") && text.contains("callback check"),
        "{text}"
    );
    // The customer code shown on screen names the same record.
    let by_code = db.run(&["--agent", "zhao", "audit", "--customer", "K001"], "");
    assert!(by_code.status.success(), "{}", stderr(&by_code));
    assert_eq!(stdout(&by_code), text);
    let out = db.run(
        &["--agent", "lina", "audit", "--customer", &id.to_string()],
        "",
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("only a supervisor or above may read the audit log"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn r31_a_record_opened_from_the_queue_is_logged_for_the_complaint_in_hand() {
    let db = setup();
    let id = id_of(&db, "K001");
    let out = db.run(
        &["intake"],
        r#"{"channel":"phone","category":"service","subject":"宽带断网","customer":{"name":"张三","phone":"13912345678"}}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let number = stdout(&out).trim().to_string();
    let mut pty = Pty::hotline(&db.path, "lina", &[], 100, 30);
    pty.wait_for("the complaint", START, |s| s.contains(&number));
    // Claim it (now in hand), then open its customer.
    pty.send_keys(b"c");
    pty.wait_for("claimed", SHORT, |s| s.contains("Claimed"));
    pty.send_keys(b"o");
    let (s, _) = pty.wait_for("the record", SHORT, |s| {
        s.contains("Customer record") && s.contains(&format!("Opened for: {number}"))
    });
    // R30: the record being handled shows the whole phone.
    assert!(s.contains("139 1234 5678"), "{s}");
    assert!(s.contains("宽带断网"), "its complaint in the history:\n{s}");
    assert_eq!(
        views(&db, id),
        vec![("lina".into(), number.clone(), "complaint".into())]
    );
    // Back in the queue, `/` searches with the same complaint in hand.
    pty.send_keys(b"\x1b");
    pty.wait_for("the queue", SHORT, |s| !s.contains("Customer record"));
    pty.send_keys(b"/");
    pty.wait_for("the purpose", SHORT, |s| {
        s.contains(&format!("Purpose: the complaint in hand {number}"))
    });
    // R31: another customer's record is not "for this complaint": the
    // reason is asked, and the audit entry records it, not the complaint.
    pty.send_keys(b"lisi");
    pty.wait_for("李四", SHORT, |s| s.contains("李四"));
    pty.send_keys(b"\r");
    pty.wait_for("the reason prompt", SHORT, |s| {
        s.contains("Why do you open this record?")
    });
    pty.send_keys("同一地址的邻居".as_bytes());
    pty.send_keys(b"\r");
    pty.wait_for("李四's record", SHORT, |s| {
        s.contains("Customer record") && s.contains("Opened for: 同一地址的邻居")
    });
    let lisi = id_of(&db, "K003");
    assert_eq!(
        views(&db, lisi),
        vec![("lina".into(), "同一地址的邻居".into(), "reason".into())]
    );
    // Its own customer still opens at once, for the complaint.
    pty.send_keys(b"\x1b");
    pty.wait_for("the search", SHORT, |s| s.contains("Search customers"));
    for _ in 0..4 {
        pty.send_keys(b"\x7f");
    }
    pty.send_keys(b"zs 5678");
    pty.wait_for("张三", SHORT, |s| {
        s.contains("张三") && !s.contains("李四")
    });
    pty.send_keys(b"\r");
    pty.wait_for("张三's record at once", SHORT, |s| {
        s.contains("Customer record") && s.contains(&format!("Opened for: {number}"))
    });
    assert_eq!(views(&db, id).len(), 2);
}

#[test]
fn a_customer_added_by_another_process_is_found_within_one_second() {
    let db = setup();
    let mut pty = search_screen(&db, "lina");
    pty.send_keys(b"wangfang");
    pty.wait_for("no result yet", SHORT, |s| s.contains("No customer found"));
    for (i, code) in ["K100", "K101", "K102"].iter().enumerate() {
        let csv = format!("code,name,phone\n{code},王芳,1390000000{i}\n");
        let file = db.dir.path().join(format!("new{i}.csv"));
        std::fs::write(&file, csv).expect("write");
        // The import prints its summary only after its commit.
        let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
        let committed = Instant::now();
        assert!(out.status.success(), "{}", stderr(&out));
        let want = match i {
            0 => "1 result ·".to_string(),
            n => format!("{} results", n + 1),
        };
        let (_, seen) = pty.wait_for(&want, Duration::from_secs(3), |s| s.contains(&want));
        let took = seen.duration_since(committed);
        assert!(took < Duration::from_secs(1), "found after {took:?}");
    }
    pty.wait_for("the new rows' details", SHORT, |s| {
        s.contains("K100") && s.contains("K101") && s.contains("K102")
    });
}
