//! The live customer index (src/search/live.rs) on a real database file:
//! built from the table page by page, then following changes made by other
//! processes through the poller, as the TUI runs it.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::time::{Duration, Instant};

use hotline::live_index::{Live, Status};
use hotline::store::poller;

fn import(db: &TempDb, name: &str, csv: &str) {
    let file = db.dir.path().join(name);
    std::fs::write(&file, csv).expect("write csv");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "import: {}", stderr(&out));
}

fn wait(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) -> Duration {
    let t = Instant::now();
    while !ok() {
        assert!(t.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
    t.elapsed()
}

/// Also a regression test: the index thread's connection used to be opened
/// with `Db::open`, whose path check opened and closed the file with
/// std::fs and so dropped the process's POSIX locks; the next process to
/// close its connection then deleted the -shm file under the poller, which
/// stopped seeing changes (about one run in two).
#[test]
fn a_customer_added_or_edited_by_another_process_is_found_within_one_second() {
    let db = TempDb::new();
    import(&db, "a.csv", "code,name,phone\nK1,张三,13912345678\n");
    // As in the TUI: a connection and the poller first, then the index.
    let _writer =
        hotline::store::Db::open(&db.path, hotline::store::OpenMode::Existing).expect("open");
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let live = Live::spawn(db.path.clone(), move || {
        let _ = tx.send(());
    });
    let follow = live.clone();
    let _poller = poller::spawn(&db.path, poller::DEFAULT_INTERVAL, move || {
        follow.changed();
        true
    })
    .expect("poller");
    wait("the build", Duration::from_secs(10), || {
        matches!(live.status(), Status::Ready { customers: 1 })
    });
    assert!(
        rx.try_iter().count() > 0,
        "the TUI is told the index is ready"
    );
    let found = |q: &str| {
        live.index()
            .query(q, 10, true)
            .into_iter()
            .map(|h| h.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(found("zs"), vec!["张三"]);
    for i in 0..4 {
        import(
            &db,
            &format!("n{i}.csv"),
            &format!("code,name,phone\nK2{i},王芳,1390000000{i}\n"),
        );
        let took = wait("王芳", Duration::from_secs(3), || {
            found("wangfang").len() == i + 1
        });
        assert!(
            took < Duration::from_secs(1),
            "new customer {i} found after {took:?}"
        );
    }
    // An edit: a new phone for an existing customer, matched by code (the
    // customer row itself is unchanged: the phone's trigger moves it).
    import(&db, "e.csv", "code,name,phone\nK1,张三,13600001111\n");
    let took = wait("the new phone", Duration::from_secs(3), || {
        found("0001111") == vec!["张三"]
    });
    assert!(took < Duration::from_secs(1), "edit found after {took:?}");
    // Confidential from now on (R30): gone for agents.
    db.conn()
        .execute(
            "UPDATE customers SET confidential = 1 WHERE code = 'K1'",
            [],
        )
        .expect("update");
    wait("hidden", Duration::from_secs(3), || {
        live.index().query("zs", 10, false).is_empty()
    });
    assert_eq!(live.index().query("zs", 10, true).len(), 1);
    live.stop();
}

/// A database made before migration 2 (no revisions yet): opening it
/// migrates it, the index reads every customer, and changes from then on
/// are followed.
#[test]
fn a_database_from_before_revisions_is_migrated_and_followed() {
    use hotline::store::schema::{APPLICATION_ID, MIGRATIONS};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&path).expect("open");
        c.execute_batch("PRAGMA journal_mode=WAL").expect("wal");
        c.execute_batch(MIGRATIONS[0]).expect("migration 1");
        c.execute_batch(&format!(
            "PRAGMA user_version=1; PRAGMA application_id={APPLICATION_ID};"
        ))
        .expect("version");
        c.execute(
            "INSERT INTO customers (name, code, created_at, updated_at) VALUES ('张三', 'K1', 0, 0)",
            [],
        )
        .expect("customer");
    }
    let db = hotline::store::Db::open(&path, hotline::store::OpenMode::Existing).expect("migrate");
    assert_eq!(
        db.schema_version().expect("version"),
        hotline::store::schema::latest_version()
    );
    let live = Live::spawn(path.clone(), || {});
    wait("the build", Duration::from_secs(10), || {
        matches!(live.status(), Status::Ready { customers: 1 })
    });
    assert_eq!(live.index().query("zs", 10, true).len(), 1);
    db.conn()
        .execute("UPDATE customers SET name = '李四' WHERE code = 'K1'", [])
        .expect("edit");
    live.changed();
    wait("the edit", Duration::from_secs(3), || {
        live.index().query("lisi", 10, true).len() == 1
    });
    assert!(live.index().query("zs", 10, true).is_empty());
    live.stop();
}

/// Issue 10: the TUI's index starts from the snapshot beside the database
/// (no log line) and catches up with what changed since it was written;
/// a snapshot that does not fit is noted once and rebuilt.
#[test]
fn the_tui_index_starts_from_the_snapshot_and_catches_up() {
    let db = TempDb::new();
    import(&db, "a.csv", "code,name,phone\nK1,张三,13912345678\n");
    // `hotline search` builds and writes the snapshot.
    let out = db.run(&["search", "zs"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let snap = hotline::search::snapshot::path_for(&db.path);
    assert!(snap.exists());
    import(&db, "b.csv", "code,name,phone\nK2,李四,13812345678\n");
    let _writer =
        hotline::store::Db::open(&db.path, hotline::store::OpenMode::Existing).expect("open");
    let live = Live::spawn(db.path.clone(), || {});
    wait("the load", Duration::from_secs(10), || {
        matches!(live.status(), Status::Ready { customers: 2 })
    });
    assert_eq!(live.index().query("ls", 10, true).len(), 1, "caught up");
    assert_eq!(live.notes(), Vec::<String>::new(), "the snapshot was used");
    live.stop();
    // Noise in its place: one note, and the right index all the same.
    std::fs::write(&snap, b"garbage").expect("spoil");
    let live = Live::spawn(db.path.clone(), || {});
    wait("the build", Duration::from_secs(10), || {
        matches!(live.status(), Status::Ready { customers: 2 })
    });
    let notes = live.notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("not an index snapshot"), "{notes:?}");
    assert_eq!(live.index().query("zs", 10, true).len(), 1);
    live.stop();
}

/// The build reads the table on two connections, a stretch of ids at a
/// time: with ids far apart (past `u32`, and the largest there is), every
/// customer is in the index once, and the progress ends at the count.
#[test]
fn a_build_on_two_connections_reads_every_customer_once() {
    use hotline::live_index as live;
    use hotline::store::{Db, OpenMode};
    use std::sync::atomic::AtomicBool;

    let db = TempDb::new();
    let ids: Vec<i64> = (1..=7_000)
        .chain((0..5_000).map(|i| 5_000_000_000 + i * 977))
        .chain([i64::MAX])
        .collect();
    let mut c = db.conn();
    let tx = c.transaction().expect("begin");
    for &id in &ids {
        let name = if id % 2 == 0 { "张三" } else { "Li Wei" };
        tx.execute(
            "INSERT INTO customers (id, code, name, created_at, updated_at)
             VALUES (?1, ?2, ?3, 0, 0)",
            rusqlite::params![id, format!("K{id}"), name],
        )
        .expect("insert");
    }
    // Phones of customers at the ends of pages and stretches; two each.
    let phoned = [1, 5_000, 5_001, 7_000, 5_000_000_977, i64::MAX];
    for (i, &id) in phoned.iter().enumerate() {
        for phone in [format!("1390000000{i}"), format!("0755123456{i}")] {
            tx.execute(
                "INSERT INTO customer_phones (customer_id, phone) VALUES (?1, ?2)",
                rusqlite::params![id, phone],
            )
            .expect("phone");
        }
    }
    tx.commit().expect("commit");
    let mut d = Db::open(&db.path, OpenMode::Existing).expect("open");
    let mut seen = Vec::new();
    let (idx, _) =
        live::load(&mut d, &AtomicBool::new(false), |a, b| seen.push((a, b))).expect("load");
    assert_eq!(idx.len(), ids.len());
    assert!(ids.iter().all(|&id| idx.contains(id)));
    assert_eq!(seen.last(), Some(&(ids.len(), ids.len())));
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    for id in [1, 7_000, 5_000_000_977, i64::MAX] {
        let hits = idx.query(&format!("k{id}"), 1, true);
        assert_eq!(hits.first().map(|h| h.id), Some(id), "k{id}");
    }
    for (i, &id) in phoned.iter().enumerate() {
        for phone in [format!("1390000000{i}"), format!("0755123456{i}")] {
            let hits = idx.query(&phone, 2, true);
            assert_eq!(
                hits.iter().map(|h| h.id).collect::<Vec<_>>(),
                [id],
                "{phone}"
            );
        }
    }
    let hits = idx.query("li wei", 20_000, true);
    assert_eq!(hits.len(), ids.iter().filter(|&&id| id % 2 != 0).count());
}
