//! `hotline backup` (issue 9, operations): a consistent copy of a live
//! database while other processes keep writing; the output path can never
//! be the database or its journals.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, Instant};

fn numbers(c: &rusqlite::Connection) -> HashSet<String> {
    let mut st = c.prepare("SELECT number FROM complaints").unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn backup_while_eight_processes_write_holds_everything_committed_before_it() {
    let db = TempDb::new();
    // Eight intake processes, each feeding JSON lines slowly so that they
    // are still writing while the backup runs.
    let writers: Vec<_> = (0..8)
        .map(|p| {
            let mut child = spawn_intake(&db.path);
            let mut stdin = child.stdin.take().unwrap();
            let feed = std::thread::spawn(move || {
                for i in 0..120 {
                    let line = complaint_json(&format!("p{p} n{i}"), &format!("1390000{p}{i:03}"));
                    if writeln!(stdin, "{line}").is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(8));
                }
            });
            (child, feed)
        })
        .collect();
    let reader = db.conn();
    let start = Instant::now();
    while db.count("SELECT count(*) FROM complaints") < 150 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "writers too slow"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = numbers(&reader);
    let copy = db.dir.path().join("copy.db");
    let out = db.run(&["backup", "--out", copy.to_str().unwrap()], "");
    assert!(out.status.success(), "backup failed: {}", stderr(&out));
    assert!(stdout(&out).contains("integrity ok"), "{}", stdout(&out));
    let mut done = 0;
    for (child, feed) in writers {
        feed.join().unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "a writer failed: {}", stderr(&o));
        done += stdout(&o).lines().count();
    }
    assert_eq!(done, 960);
    // The copy: whole, and a superset of what was committed before it began.
    let c = rusqlite::Connection::open(&copy).unwrap();
    let verdict: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
    let copied = numbers(&c);
    let missing: Vec<_> = before.difference(&copied).collect();
    assert!(
        missing.is_empty(),
        "copy lacks {} complaints committed before it: {missing:?}",
        missing.len()
    );
    assert!(
        copied.len() < 960,
        "the copy ran after the writers finished; the test proves nothing"
    );
    // Each complaint in the copy is whole (its report row came with it).
    let reports: i64 = c
        .query_row(
            "SELECT count(*) FROM complaints WHERE id NOT IN (SELECT complaint_id FROM complaint_reports)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reports, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup holds confidential records");
    }
    // Recorded in the audit log.
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE action = 'backup_made'"),
        1
    );
}

#[test]
fn backup_never_writes_over_the_database_or_its_journals() {
    let db = TempDb::new();
    db.run(&["intake"], &complaint_json("keep me", "13900000001"));
    let original = std::fs::read(&db.path).unwrap();
    let p = db.path.to_str().unwrap().to_string();
    let link = db.dir.path().join("link.db");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    for target in [
        p.clone(),
        format!("{p}-wal"),
        format!("{p}-shm"),
        link.to_str().unwrap().into(),
    ] {
        let out = db.run(&["backup", "--out", &target, "--force"], "");
        assert!(!out.status.success(), "{target} accepted");
        assert!(
            stderr(&out).contains("writing there would destroy it"),
            "{target}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), original);
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 1);
    // A missing directory, and an existing file without --force.
    let out = db.run(&["backup", "--out", "/nonexistent-dir/x.db"], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("directory"), "{}", stderr(&out));
    let existing = db.dir.path().join("old.db");
    std::fs::write(&existing, b"yesterday").unwrap();
    let e = existing.to_str().unwrap();
    let out = db.run(&["backup", "--out", e], "");
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&existing).unwrap(), b"yesterday");
    let out = db.run(&["backup", "--out", e, "--force"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(std::fs::read(&existing).unwrap(), b"yesterday");
    // Only an administrator copies the whole archive.
    db.add_agent("sup1", "Sup One", "supervisor");
    let out = db.run(
        &[
            "--agent",
            "sup1",
            "backup",
            "--out",
            db.dir.path().join("s.db").to_str().unwrap(),
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("admin"), "{}", stderr(&out));
    assert!(!db.dir.path().join("s.db").exists());
}
