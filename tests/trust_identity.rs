//! Issue 11, defects 7 and 8: identity is the real uid's passwd entry, not
//! `$USER`; `--agent` only for an admin or the file's owner; only an admin
//! makes or removes admins; the last admin stays; init and seed-demo are
//! no way to escalate; every change audited with the OS account.
//!
//! Tests that need a second OS account run the real binary as `nobody`
//! (uid 65534) through `CommandExt::uid`; they are skipped when the test
//! does not run as root (it cannot switch uid then).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{TempDb, stderr, stdout};

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    nix::unistd::getuid().is_root()
}

/// Runs the binary as `nobody`, with `$USER`/`$LOGNAME` saying "root".
fn as_nobody(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(common::BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("HOTLINE_DB")
        .env("USER", "root")
        .env("LOGNAME", "root")
        .env("HOME", "/tmp")
        .uid(NOBODY)
        .gid(NOBODY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn as nobody");
    if let Some(mut i) = child.stdin.take() {
        let _ = std::io::Write::write_all(&mut i, stdin.as_bytes());
    }
    child.wait_with_output().expect("wait")
}

/// A database root owns and `nobody` may write (as a shared server file).
fn shared_db() -> TempDb {
    let t = TempDb::new();
    std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&t.path, std::fs::Permissions::from_mode(0o666)).unwrap();
    t
}

fn me() -> String {
    hotline::identity::os_user().login.clone()
}

#[test]
fn init_names_the_real_os_user_not_user_env() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let out = Command::new(common::BIN)
        .args(["--db", path.to_str().unwrap(), "init"])
        .env("USER", "mallory")
        .env("LOGNAME", "mallory")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let c = rusqlite::Connection::open(&path).unwrap();
    let login: String = c
        .query_row("SELECT login FROM agents WHERE role = 'admin'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(login, me());
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'agent_added' AND os_user = ?1",
            [me()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1, "the first admin is audited");
}

#[test]
fn init_on_an_existing_database_makes_nobody_admin() {
    if !is_root() {
        return;
    }
    let t = shared_db();
    let before = t.count("SELECT count(*) FROM agents");
    let out = as_nobody(&t.path, &["init"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("agents unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(t.count("SELECT count(*) FROM agents"), before);
    assert_eq!(
        t.count("SELECT count(*) FROM agents WHERE role = 'admin' AND login = 'nobody'"),
        0
    );
}

#[test]
fn user_env_does_not_make_anyone_admin() {
    if !is_root() {
        return;
    }
    let t = shared_db();
    // $USER says root (the admin); the real account is nobody, no agent.
    let out = as_nobody(
        &t.path,
        &["settings", "set", "sla.at_risk_percent", "50"],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(r#"no agent "nobody""#),
        "{}",
        stderr(&out)
    );
    // --agent root is refused too: nobody neither owns the file nor is admin.
    let out = as_nobody(
        &t.path,
        &[
            "--agent",
            &me(),
            "settings",
            "set",
            "sla.at_risk_percent",
            "50",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("only an admin may act as another agent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        t.count("SELECT count(*) FROM settings WHERE key = 'sla.at_risk_percent' AND value = '50'"),
        0
    );
}

#[test]
fn a_plain_agent_acts_as_itself_and_may_not_act_as_another() {
    if !is_root() {
        return;
    }
    let t = shared_db();
    t.add_agent("nobody", "Nobody", "agent");
    t.add_agent("sup1", "Sup", "supervisor");
    let out = as_nobody(
        &t.path,
        &["--agent", "sup1", "audit", "--customer", "1"],
        "",
    );
    assert!(
        stderr(&out).contains("nobody (agent): only an admin may act as another agent"),
        "{}",
        stderr(&out)
    );
    // As itself it runs, and meets its own role's limits.
    let out = as_nobody(&t.path, &["audit", "--customer", "1"], "");
    assert!(
        stderr(&out).contains("only a supervisor or above may read the audit log"),
        "{}",
        stderr(&out)
    );
    // An admin account may act as another agent; the audit keeps both.
    t.conn()
        .execute(
            "UPDATE agents SET role = 'admin' WHERE login = 'nobody'",
            [],
        )
        .unwrap();
    let out = as_nobody(
        &t.path,
        &["--agent", "sup1", "agent", "add", "x1", "--name", "X"],
        "",
    );
    assert!(
        stderr(&out).contains("only a manager or above may add agents"),
        "acts with sup1's role: {}",
        stderr(&out)
    );
    let out = as_nobody(
        &t.path,
        &["--agent", &me(), "agent", "add", "x1", "--name", "X"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        t.count(&format!(
            "SELECT count(*) FROM audit WHERE action = 'agent_added' AND agent_login = '{}' AND os_user = 'nobody'",
            me()
        )),
        1
    );
}

#[test]
fn only_an_admin_makes_admins_and_the_last_admin_stays() {
    let t = TempDb::new();
    t.add_agent("man1", "Manager", "manager");
    t.add_agent("ag1", "Agent", "agent");
    let out = t.run(
        &[
            "--agent", "man1", "agent", "add", "evil", "--name", "E", "--role", "admin",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("only an admin may create or remove an admin"),
        "{}",
        stderr(&out)
    );
    let out = t.run(&["--agent", "man1", "agent", "role", "ag1", "admin"], "");
    assert!(stderr(&out).contains("only an admin"), "{}", stderr(&out));
    let out = t.run(
        &["--agent", "man1", "agent", "leave", &me(), "--to", "man1"],
        "",
    );
    assert!(stderr(&out).contains("only an admin"), "{}", stderr(&out));
    assert_eq!(
        t.count("SELECT count(*) FROM agents WHERE role = 'admin'"),
        1
    );
    // A manager manages agents below admin, audited.
    let out = t.run(
        &["--agent", "man1", "agent", "role", "ag1", "supervisor"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        t.count("SELECT count(*) FROM audit WHERE action = 'agent_role_changed' AND detail = 'agent -> supervisor'"),
        1
    );
    // The admin cannot remove the last admin, itself included.
    let out = t.run(&["agent", "leave", &me(), "--to", "man1"], "");
    assert!(
        stderr(&out).contains("is the last active admin"),
        "{}",
        stderr(&out)
    );
    let out = t.run(&["agent", "role", &me(), "manager"], "");
    assert!(stderr(&out).contains("is the last active admin"));
    assert_eq!(
        t.count("SELECT count(*) FROM agents WHERE role = 'admin' AND active = 1"),
        1
    );
    // With a second admin it may.
    let out = t.run(&["agent", "role", "man1", "admin"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = t.run(&["agent", "leave", &me(), "--to", "man1"], "");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn seed_demo_is_for_admins_on_demo_databases_only() {
    let t = TempDb::new();
    t.add_agent("sup1", "Sup", "supervisor");
    let out = t.run(&["--agent", "sup1", "seed-demo", "--customers", "20"], "");
    assert!(
        stderr(&out).contains("only an admin may seed demo data"),
        "{}",
        stderr(&out)
    );
    assert_eq!(t.count("SELECT count(*) FROM customers"), 0);
    let out = t.run(&["seed-demo", "--customers", "20"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    // Seeding a demo database again is fine ...
    let out = t.run(&["seed-demo", "--customers", "20", "--seed", "7"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    // ... but not once it holds real work.
    let out = t.run(
        &["intake"],
        &common::complaint_json("真的投诉", "13800138000"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let n = t.count("SELECT count(*) FROM customers");
    let out = t.run(&["seed-demo", "--customers", "20"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds data that seed-demo did not make"),
        "{}",
        stderr(&out)
    );
    assert_eq!(t.count("SELECT count(*) FROM customers"), n);
}

/// Defect 11: an account that may read but not write the database is
/// refused before SQLite creates `-wal`/`-shm` as that account.
#[test]
fn a_reader_without_write_access_is_refused_before_touching_anything() {
    if !is_root() {
        return;
    }
    let t = TempDb::new();
    std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&t.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&t.path).unwrap();
    for args in [
        &["check"][..],
        &["search", "zs"],
        &["agent", "list"],
        &["intake"],
    ] {
        let out = as_nobody(&t.path, args, "{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is not writable by nobody; nothing was changed"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let names: Vec<String> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    // The owner's init made the writers' queue file; the reader made nothing.
    assert_eq!(
        names,
        ["hotline.db", "hotline.db-writers"],
        "no -wal/-shm left by the reader"
    );
    assert_eq!(std::fs::read(&t.path).unwrap(), before);
    // The owner still writes.
    let out = t.run(&["intake"], &common::complaint_json("owner", "13800138000"));
    assert!(out.status.success(), "{}", stderr(&out));
}
