//! Issue 9 item 4: `hotline search` asks a running `hotline serve` (whose
//! index is built and followed) instead of building one of its own, and
//! gives the same answer either way; with no server it builds its own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::ssh::{Kill, wait_until};
use common::*;

use std::path::PathBuf;
use std::process::{Command, Stdio};

#[test]
fn issue9_hotline_search_asks_the_running_server() {
    let db = TempDb::new();
    let o = db.run(
        &["seed-demo", "--customers", "3000", "--complaints", "10"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let snapshot = PathBuf::from(format!("{}-search-index", db.path.display()));
    let search = || {
        let o = db.run(&["search", "wang", "--json", "--limit", "8"], "");
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    // No server: the search builds its own index and writes the snapshot.
    let alone = search();
    assert!(alone.contains("\"field\""), "{alone}");
    assert!(snapshot.exists());

    let mut server = Command::new(BIN);
    server
        .arg("--db")
        .arg(&db.path)
        .arg("serve")
        .env("XDG_STATE_HOME", db.dir.path().join("state"))
        .stderr(Stdio::null());
    let server = Kill(server.spawn().unwrap());
    let sock = PathBuf::from(format!("{}.sock", db.path.display()));
    wait_until("the server socket", || sock.exists());
    // Once the server's index is in, a search builds nothing: the deleted
    // snapshot stays deleted, and the answer is the same.
    wait_until("the server's answer", || {
        let _ = std::fs::remove_file(&snapshot);
        search() == alone && !snapshot.exists()
    });
    for _ in 0..3 {
        assert_eq!(search(), alone);
    }
    assert!(!snapshot.exists(), "a search with a server built an index");
    drop(server);
    // The server gone (its socket too), the search is on its own again.
    assert_eq!(search(), alone);
    assert!(snapshot.exists());
}
