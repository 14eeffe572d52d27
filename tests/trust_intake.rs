//! Issue 11, defects 9 and 10: JSON-lines intake with a line that is not
//! UTF-8 reports that line and registers the others (exit 3); a UTF-8 BOM
//! at the start is accepted; `received_at` is bounded both ways.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::io::Write;

fn intake_bytes(db: &TempDb, bytes: &[u8]) -> std::process::Output {
    let mut child = spawn_hotline(&db.path, &["intake"]);
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_line_that_is_not_utf8_is_reported_and_the_others_registered() {
    let db = TempDb::new();
    let mut input = Vec::new();
    input.extend_from_slice(complaint_json("one", "13800000001").as_bytes());
    input.push(b'\n');
    input.extend_from_slice(b"{\"channel\":\"phone\",\"subject\":\"\xd5\xc5\xcb\xc4\"}\n");
    input.extend_from_slice(complaint_json("three", "13800000003").as_bytes());
    input.push(b'\n');
    let out = intake_bytes(&db, &input);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 2: not UTF-8"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().filter(|l| is_number(l)).count(), 2);
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 2);
}

#[test]
fn a_bom_at_the_start_is_accepted() {
    let db = TempDb::new();
    let mut one = b"\xEF\xBB\xBF".to_vec();
    one.extend_from_slice(complaint_json("bom", "13800000004").as_bytes());
    let out = intake_bytes(&db, &one);
    assert!(out.status.success(), "{}", stderr(&out));
    // And for an object spread over lines.
    let mut spread = b"\xEF\xBB\xBF{\n".to_vec();
    spread.extend_from_slice(
        br#""channel":"email","category":"service","subject":"x","anonymous":true}"#,
    );
    let out = intake_bytes(&db, &spread);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 2);
}

#[test]
fn received_at_in_year_0_or_far_ahead_is_refused() {
    let db = TempDb::new();
    let with = |at: &str| {
        format!(
            r#"{{"channel":"phone","category":"service","subject":"t","received_at":"{at}","anonymous":true}}"#
        )
    };
    for (at, why) in [
        ("0000-01-01T00:00:00Z", "intake.backfill_days"),
        ("1999-12-31 08:00", "intake.backfill_days"),
        ("9999-01-01T00:00:00Z", "in the future"),
    ] {
        let out = db.run(&["intake"], &with(at));
        assert!(!out.status.success(), "{at}");
        assert!(
            stderr(&out).contains("received_at: ") && stderr(&out).contains(why),
            "{at}: {}",
            stderr(&out)
        );
    }
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 0);
    // A backfill inside the window is taken; the window is a setting.
    let month_ago = (chrono::Utc::now() - chrono::Duration::days(30)).to_rfc3339();
    assert!(db.run(&["intake"], &with(&month_ago)).status.success());
    db.set_setting("intake.backfill_days", "0");
    let out = db.run(&["intake"], &with(&month_ago));
    assert!(
        stderr(&out).contains("backfill_days = 0"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 1);
}
