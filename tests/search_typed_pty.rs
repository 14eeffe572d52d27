//! Issue 14 in the real TUI, in an 80x24 pseudo-terminal: what the agent
//! types as a written phone number, with a typo, or (with the
//! `search.fuzzy_pinyin` setting on) as it sounded, finds the customer,
//! and the line under the query says how it was read.
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

use std::time::Duration;

/// Generous: a debug binary on a loaded 2-core machine.
const START: Duration = Duration::from_secs(20);
const SHORT: Duration = Duration::from_secs(10);

const CUSTOMERS: &str = "客户编号,姓名,手机,客户等级\r\n\
K001,张三,13912345678,C\r\n\
K002,岑宁,13700001111,C\r\n\
K003,陳林,13800138000,C\r\n";

#[test]
fn written_numbers_typos_and_sounds_in_the_tui() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let file = db.dir.path().join("c.csv");
    std::fs::write(&file, CUSTOMERS).expect("write csv");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "{}", stderr(&out));
    // The CLI path (validation, admin only) is tests/search_typed_cli.rs.
    db.set_setting("search.fuzzy_pinyin", "on");

    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| {
        s.contains("Hotline · Queue") && !s.contains("Loading")
    });
    pty.send_keys(b"/");
    pty.wait_for("the built index", START, |s| {
        s.contains("customers indexed")
    });

    let typed = "+86 139-1234-5678";
    pty.send_keys(typed.as_bytes());
    let (s, _) = pty.wait_for("the number read", SHORT, |s| {
        s.contains("read as: phone 13912345678") && s.contains("139****5678")
    });
    assert!(s.contains(typed), "what was typed stays visible:\n{s}");
    assert!(s.contains("张三") && s.contains("1 result"), "{s}");

    pty.send_keys(&vec![0x7f; typed.len()]);
    pty.send_keys(b"zhagnsan");
    pty.wait_for("the typo read", SHORT, |s| {
        s.contains("zhagnsan ≈ zhangsan") && s.contains("张三")
    });

    pty.send_keys(&[0x7f; 8]);
    pty.send_keys(b"cenlin");
    let (s, _) = pty.wait_for("the sound read", SHORT, |s| {
        s.contains("(sounds alike)") && s.contains("岑宁")
    });
    // 陳林 (traditional, chen lin) sounds alike too.
    assert!(s.contains("陳林"), "{s}");
}
