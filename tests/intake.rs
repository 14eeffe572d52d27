//! `hotline intake`, `init` and `check` through the real binary (R1, R2, R5)
//! and the bad inputs that must give a clear error and change nothing.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

#[test]
fn r1_r2_registers_and_prints_the_number() {
    let db = TempDb::new();
    let out = db.run(&["intake"], &complaint_json("宽带断网", "138 0013 8000"));
    assert!(out.status.success(), "{}", stderr(&out));
    let no = stdout(&out).trim().to_string();
    assert!(is_number(&no), "{no:?}");
    let (name, phone, channel, status): (String, String, String, String) = db
        .conn()
        .query_row(
            "SELECT complainant_name, complainant_phone, channel, status FROM complaints WHERE number = ?1",
            [&no],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            name.as_str(),
            phone.as_str(),
            channel.as_str(),
            status.as_str()
        ),
        ("张三", "13800138000", "phone", "new")
    );
    // The same phone again is matched to the same customer, not a new one.
    let out = db.run(&["intake"], &complaint_json("又断网了", "13800138000"));
    assert!(out.status.success());
    assert_eq!(db.count("SELECT count(*) FROM customers"), 1);
    assert_eq!(db.count("SELECT count(DISTINCT number) FROM complaints"), 2);
}

#[test]
fn a_pretty_printed_object_over_several_lines_is_one_complaint() {
    let db = TempDb::new();
    let json = "{\n  \"channel\": \"letter\",\n  \"category\": \"政策/流程\",\n  \"subject\": \"Refund\",\n  \"anonymous\": true\n}\n";
    let out = db.run(&["intake"], json);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        db.count("SELECT count(*) FROM complaints WHERE anonymous = 1 AND no_callback = 1"),
        1
    );
}

fn assert_refused(db: &TempDb, json: &str, field: &str) {
    let before = db.count("SELECT count(*) FROM complaints");
    let customers = db.count("SELECT count(*) FROM customers");
    let out = db.run(&["intake"], json);
    assert!(!out.status.success(), "accepted: {json:.80}");
    let err = stderr(&out);
    assert!(err.contains(field), "error for {field} was {err:?}");
    assert!(
        !err.contains('\u{1b}'),
        "the error echoed an escape: {err:?}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM complaints"),
        before,
        "{json:.80}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customers"),
        customers,
        "{json:.80}"
    );
}

#[test]
fn bad_input_names_the_field_and_registers_nothing() {
    let db = TempDb::new();
    let ok = complaint_json("断网", "13800138000");
    assert_refused(&db, "{\"channel\": \"phone\", ", "json");
    assert_refused(
        &db,
        &ok.replace("\"phone\",\"category\"", "\"fax\",\"category\""),
        "channel",
    );
    assert_refused(&db, &ok.replace("\"service\"", "\"weather\""), "category");
    assert_refused(&db, &ok.replace("\"subject\":\"断网\",", ""), "subject");
    assert_refused(
        &db,
        &ok.replace("13800138000", "1380013800O"),
        "customer.phone",
    );
    let big = ok.replace(
        "\"subject\"",
        &format!("\"description\":\"{}\",\"subject\"", "长".repeat(1 << 20)),
    );
    assert_refused(&db, &big, "description");
    for (nasty, field) in [
        ("\\u001b[2J", "subject"),
        ("\\u009b31m", "subject"),
        ("a\\u0007", "subject"),
    ] {
        assert_refused(&db, &ok.replace("断网", nasty), field);
    }
    assert_refused(
        &db,
        &ok.replace("张三", "\\u001b]0;pwned\\u0007"),
        "customer.name",
    );
    assert_refused(
        &db,
        &ok.replace("\"subject\"", "\"customer_id\":999,\"subject\"")
            .replace(
                ",\"customer\":{\"name\":\"张三\",\"phone\":\"13800138000\"}",
                "",
            ),
        "customer_id",
    );
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 0);
    assert!(db.integrity_ok());
}

#[test]
fn invisible_formatting_is_cleaned_before_storage() {
    let db = TempDb::new();
    let json =
        complaint_json("断\u{200b}网\u{202e}", "13800138000").replace("张三", "\u{202e}张三");
    let out = db.run(&["intake"], &json);
    assert!(out.status.success(), "{}", stderr(&out));
    let (subject, name): (String, String) = db
        .conn()
        .query_row(
            "SELECT subject, complainant_name FROM complaints",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((subject.as_str(), name.as_str()), ("断网", "张三"));
}

#[test]
fn json_lines_register_the_good_and_name_each_bad_line() {
    let db = TempDb::new();
    let lines = [
        complaint_json("一", "13800138001"),
        "{\"channel\":\"phone\"".to_string(),
        complaint_json("三", "13800138003"),
        complaint_json("四", "phone-number"),
        complaint_json("五", "13800138005"),
    ]
    .join("\n");
    let out = db.run(&["intake"], &lines);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("line 2: json"), "{err}");
    assert!(err.contains("line 4: customer.phone"), "{err}");
    assert!(err.contains("3 registered, 2 failed"), "{err}");
    let printed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(printed.len(), 3);
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 3);
}

#[test]
fn r5_duplicate_report_attaches_and_keeps_time_and_channel() {
    let db = TempDb::new();
    let out = db.run(&["intake"], &complaint_json("小区断网", "13800138000"));
    let no = stdout(&out).trim().to_string();
    let again = format!(
        r#"{{"channel":"social","category":"service","subject":"楼上也断网","received_at":"2026-01-05 10:00",
            "duplicate_of":"{no}","customer":{{"name":"李四","phone":"13900139000"}}}}"#
    )
    .replace('\n', " ");
    let out = db.run(&["intake"], &again);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), format!("{no} attached"));
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 1);
    assert_eq!(db.count("SELECT complainant_count FROM complaints"), 2);
    let (ch, at): (String, i64) = db
        .conn()
        .query_row(
            "SELECT channel, received_at FROM complaint_reports ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(ch, "social");
    assert_eq!(at, 1_767_578_400); // 2026-01-05 10:00 +08:00
    assert_eq!(
        db.count("SELECT count(*) FROM complaint_events WHERE kind = 'report_attached'"),
        1
    );
}

#[test]
fn database_paths_that_cannot_be_used_get_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A directory.
    let out = hotline(dir.path(), &["check"], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    // A path below a regular file cannot be created.
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "just some text, not a database at all ....").unwrap();
    let out = hotline(&file.join("x.db"), &["init"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot create directory"),
        "{}",
        stderr(&out)
    );
    // A file that is not SQLite: refused, left byte for byte.
    let before = std::fs::read(&file).unwrap();
    for cmd in [&["init"][..], &["check"][..]] {
        let out = hotline(&file, cmd, "");
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("not a SQLite database"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // A missing database is not created by commands other than init.
    let missing = dir.path().join("missing.db");
    let out = hotline(&missing, &["intake"], &complaint_json("x", "13800138000"));
    assert!(stderr(&out).contains("hotline init"), "{}", stderr(&out));
    assert!(!missing.exists());
}

#[test]
fn someone_elses_sqlite_file_and_a_newer_schema_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    let out = hotline(&other, &["init"], "");
    assert!(
        stderr(&out).contains("not a hotline database"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let db = TempDb::new();
    db.conn().execute_batch("PRAGMA user_version = 99").unwrap();
    let out = db.run(&["check"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("newer than this hotline"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("PRAGMA user_version"), 99);
}

#[test]
fn init_twice_only_checks_and_check_reports_settings() {
    let db = TempDb::new();
    let out = db.run(&["init"], "");
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("checked"), "{}", stdout(&out));
    assert_eq!(
        db.count("SELECT count(*) FROM categories WHERE parent_id IS NULL"),
        6
    );
    let out = db.run(&["check"], "");
    let text = stdout(&out);
    assert!(out.status.success());
    let version = format!(
        "schema version: {}",
        hotline::store::schema::latest_version()
    );
    for needle in [
        "integrity: ok",
        version.as_str(),
        "calendar.timezone = Asia/Shanghai",
        "sla.first_response.email = 2wd",
        "sla.close = 168h",
        "sla.at_risk_percent = 80",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn r32_audit_entries_cannot_be_changed_or_deleted() {
    let db = TempDb::new();
    let c = db.conn();
    c.execute(
        "INSERT INTO audit (at, agent_login, action, entity) VALUES (1, 'x', 'view', 'customer')",
        [],
    )
    .unwrap();
    let e = c
        .execute("UPDATE audit SET action = 'nothing'", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(c.execute("DELETE FROM audit", []).is_err());
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE action = 'view'"),
        1
    );
}

#[test]
fn r13_the_administrator_sets_the_calendar_and_bad_values_change_nothing() {
    let db = TempDb::new();
    db.conn()
        .execute(
            "INSERT INTO agents (login, name, role, created_at) VALUES ('ag', 'A', 'agent', 0)",
            [],
        )
        .unwrap();
    let admin: String = db
        .conn()
        .query_row("SELECT login FROM agents WHERE role = 'admin'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let out = db.run(
        &[
            "--agent",
            "ag",
            "settings",
            "set",
            "calendar.makeup_days",
            "2026-10-10",
        ],
        "",
    );
    assert!(
        stderr(&out).contains("only an admin may change settings"),
        "{}",
        stderr(&out)
    );
    let out = db.run(
        &[
            "--agent",
            &admin,
            "settings",
            "set",
            "calendar.makeup_days",
            "2026-10-10",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = db.run(
        &[
            "--agent",
            &admin,
            "settings",
            "set",
            "calendar.hours",
            "9-18",
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("calendar.hours"), "{}", stderr(&out));
    let out = db.run(&["settings", "list"], "");
    let text = stdout(&out);
    assert!(text.contains("calendar.makeup_days = 2026-10-10"), "{text}");
    assert!(
        text.contains("calendar.hours = 09:00-18:00"),
        "unchanged after the bad value: {text}"
    );
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE action = 'setting_changed'"),
        1
    );
}
