//! The search index snapshot through the real binary on real files
//! (issue 10): `hotline search` writes it after a build, uses it next time
//! and catches up from its revision, and rebuilds — with one log line and
//! the right results — when the snapshot is another database's, ahead of
//! a restored backup, truncated or noise. The file-level cases (every 4 KiB
//! cut, newer/older format, bad checksum) are in src/search/snapshot_tests.rs.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn snap(db: &Path) -> PathBuf {
    hotline::search::snapshot::path_for(db)
}

fn add(db: &TempDb, name: &str, phone: &str) {
    let json = format!(
        r#"{{"channel":"phone","category":"service","subject":"s","customer":{{"name":"{name}","phone":"{phone}"}}}}"#
    );
    let out = db.run(&["intake"], &json);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// (stdout names, stderr) of `hotline search --json`.
fn search(db: &Path, q: &str) -> (Vec<String>, String) {
    let out = hotline(db, &["--agent", "boss", "search", "--json", q], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let names = v
        .as_array()
        .expect("array")
        .iter()
        .map(|h| h["name"].as_str().unwrap_or("").to_string())
        .collect();
    (names, stderr(&out))
}

fn setup() -> TempDb {
    let db = TempDb::new();
    db.add_agent("boss", "Boss", "supervisor");
    add(&db, "张三", "13800138000");
    add(&db, "李四", "13900139000");
    db
}

#[test]
fn written_after_a_build_then_used_and_caught_up() {
    let db = setup();
    let (names, err) = search(&db.path, "zs");
    assert_eq!(names, ["张三"]);
    // A missing snapshot is routine: logged to the log file, not said on
    // stderr (a bad one is, see below).
    assert_eq!(err, "", "nothing on stderr for a missing snapshot");
    let meta = std::fs::metadata(snap(&db.path)).expect("snapshot written");
    let db_mode = std::fs::metadata(&db.path)
        .expect("db")
        .permissions()
        .mode();
    assert_eq!(meta.permissions().mode() & 0o777, db_mode & 0o666);
    // Used as it is: no log line.
    let (names, err) = search(&db.path, "ls");
    assert_eq!((names, err.as_str()), (vec!["李四".to_string()], ""));
    // A customer added after the snapshot is found (caught up from
    // customers.rev), one edited has its new keys, and the snapshot is not
    // rebuilt for it.
    add(&db, "张三丰", "13700137000");
    db.conn()
        .execute("UPDATE customers SET name = '王五' WHERE name = '李四'", [])
        .expect("rename");
    let (names, err) = search(&db.path, "zs");
    assert_eq!(names, ["张三", "张三丰"]);
    assert_eq!(err, "");
    assert_eq!(search(&db.path, "ls").0, Vec::<String>::new());
    assert_eq!(search(&db.path, "ww").0, ["王五"]);
}

#[test]
fn another_databases_snapshot_is_rebuilt() {
    let a = setup();
    let b = TempDb::new();
    b.add_agent("boss", "Boss", "supervisor");
    add(&b, "赵敏", "13600136000");
    search(&b.path, "zm");
    // B's snapshot copied beside A.
    std::fs::copy(snap(&b.path), snap(&a.path)).expect("copy");
    let (names, err) = search(&a.path, "zm");
    assert_eq!(
        names,
        Vec::<String>::new(),
        "B's customer must not appear in A"
    );
    assert!(err.contains("belongs to another database"), "{err}");
    assert_eq!(search(&a.path, "zs").0, ["张三"]);
    // Rebuilt: A's own snapshot now.
    assert_eq!(search(&a.path, "zs").1, "");
}

#[test]
fn snapshot_ahead_of_a_restored_backup_is_rebuilt() {
    let db = setup();
    let backup = db.dir.path().join("backup.db");
    std::fs::copy(&db.path, &backup).expect("backup");
    add(&db, "张三丰", "13700137000");
    assert_eq!(search(&db.path, "zs").0, ["张三", "张三丰"]);
    // The backup is restored; the snapshot stays, ahead of it.
    std::fs::copy(&backup, &db.path).expect("restore");
    let (names, err) = search(&db.path, "zs");
    assert_eq!(names, ["张三"], "the customer of the lost change is gone");
    assert!(err.contains("ahead of the database"), "{err}");
}

#[test]
fn truncated_or_random_snapshot_is_rebuilt() {
    let db = setup();
    search(&db.path, "zs");
    let good = std::fs::read(snap(&db.path)).expect("read");
    for (bad, why) in [
        (good[..good.len() / 2].to_vec(), "truncated"),
        (vec![0x5a; good.len()], "not an index snapshot"),
        (Vec::new(), "truncated"),
    ] {
        std::fs::write(snap(&db.path), &bad).expect("write");
        let (names, err) = search(&db.path, "zs");
        assert_eq!(names, ["张三"]);
        assert!(err.contains(why), "{why}: {err}");
    }
}
