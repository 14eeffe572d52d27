//! Issue 12 in the real binary, in a pseudo-terminal: an open call screen
//! sees a change another session makes to its complaint and refuses to
//! record on it (R8); every screen with text (intake form, search reason,
//! call note in drafts_pty.rs) keeps what was typed through `kill -9`
//! about a second after the last key (R18).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::pty::{self, Pty};
use common::*;

use std::time::{Duration, Instant};

/// Generous: a debug binary on a loaded 2-core machine.
const START: Duration = Duration::from_secs(20);
const SHORT: Duration = Duration::from_secs(10);

fn drafts(db: &TempDb) -> Vec<(String, String)> {
    let c = db.conn();
    let mut st = c
        .prepare("SELECT context, body FROM drafts ORDER BY context")
        .expect("prepare");
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Waits (up to 2 s: due 0.6 s after the last key, with room for a loaded
/// machine) for a draft whose context starts with `context` to hold `text`.
fn wait_draft(db: &TempDb, context: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_millis(2000);
    loop {
        let d = drafts(db);
        if d.iter()
            .any(|(c, b)| c.starts_with(context) && b.contains(text))
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {context} draft with {text:?} 2 s after the last key: {d:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One complaint registered through `hotline intake` and claimed by lina.
fn claimed_by_lina(db: &TempDb) -> String {
    let out = db.run(
        &["intake"],
        &complaint_json("Broadband down", "13800138000"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let number = stdout(&out).trim().to_string();
    let out = db.run(&["--agent", "lina", "claim", &number], "");
    assert!(out.status.success(), "{}", stderr(&out));
    number
}

#[test]
fn r8_a_reassignment_elsewhere_reaches_the_open_call_and_recording_is_refused() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let emma = db.add_agent("emma", "Emma Wilson", "agent");
    let sup = db.add_agent("zhao", "Zhao Lei", "supervisor");
    let number = claimed_by_lina(&db);

    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| s.contains(&number));
    // Hers: p opens the call at once.
    pty.send_keys(b"p");
    pty.wait_for("the call screen", SHORT, |s| {
        s.contains(&format!("Call {number}"))
    });
    // A supervisor in another session hands it to Emma.
    let c = db.conn();
    let id: i64 = c
        .query_row(
            "SELECT id FROM complaints WHERE number = ?1",
            [&number],
            |r| r.get(0),
        )
        .expect("id");
    hotline::store::complaints::reassign(
        &c,
        id,
        emma,
        hotline::store::complaints::Actor {
            id: Some(sup),
            role: hotline::domain::model::Role::Supervisor,
        },
        chrono::Utc::now().timestamp(),
        "",
    )
    .expect("reassign");
    let (s, _) = pty.wait_for("the change on the call screen", SHORT, |s| {
        s.contains("changed elsewhere") && s.contains("Emma Wilson")
    });
    assert!(s.contains(&format!("Call {number}")), "{s}");
    // o 1 Enter would have resolved Emma's complaint: refused.
    pty.send_keys(b"o");
    pty.wait_for("the outcome picker", SHORT, |s| {
        s.contains("Pick the outcome")
    });
    pty.send_keys(b"1");
    pty.wait_for("the confirm box", SHORT, |s| s.contains("Confirm"));
    pty.send_keys(b"\r");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(db.count("SELECT count(*) FROM contacts"), 0);
    assert_eq!(
        db.count("SELECT count(*) FROM complaints WHERE status = 'new'"),
        1
    );
}

#[test]
fn r18_the_intake_form_is_saved_a_second_after_typing_and_survives_kill_9() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
    pty.send_keys(b"n");
    pty.wait_for("the form", SHORT, |s| s.contains("New complaint"));
    pty.send_keys(b"\t");
    pty.send_keys("王小明 draft".as_bytes());
    pty.wait_for("the typed name", SHORT, |s| s.contains("王小明 draft"));
    // Nothing else happens: no key, no resize, no database change.
    wait_draft(&db, "form:", "王小明 draft");
    pty::signal(pty.pid(), "KILL");
    pty.wait_exit(Duration::from_secs(5));

    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
    pty.send_keys(b"n");
    pty.wait_for("the restored form", SHORT, |s| {
        s.contains("王小明 draft") && s.contains("draft restored")
    });
}

#[test]
fn r18_the_reason_for_opening_a_record_survives_kill_9() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let file = db.dir.path().join("c.csv");
    std::fs::write(&file, "code,name,phone\nK001,张三,13912345678\n").expect("csv");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let open_prompt = |pty: &mut Pty| {
        pty.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
        pty.send_keys(b"/");
        pty.wait_for("the search", SHORT, |s| s.contains("Search customers"));
        pty.send_keys(b"zs");
        pty.wait_for("张三", SHORT, |s| s.contains("张三"));
        pty.send_keys(b"\r");
        pty.wait_for("the reason prompt", SHORT, |s| {
            s.contains("Why do you open this record?")
        })
    };
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    open_prompt(&mut pty);
    pty.send_keys("客户来电核实地址".as_bytes());
    pty.wait_for("the typed reason", SHORT, |s| {
        s.contains("客户来电核实地址")
    });
    wait_draft(&db, "reason:", "客户来电核实地址");
    pty::signal(pty.pid(), "KILL");
    pty.wait_exit(Duration::from_secs(5));

    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    let (s, _) = open_prompt(&mut pty);
    let s = if s.contains("客户来电核实地址") {
        s
    } else {
        pty.wait_for("the restored reason", SHORT, |s| {
            s.contains("客户来电核实地址")
        })
        .0
    };
    assert!(s.contains("draft restored"), "{s}");
    // Used: the record opens with it and the draft is gone.
    pty.send_keys(b"\r");
    pty.wait_for("the record", SHORT, |s| {
        s.contains("Opened for: 客户来电核实地址")
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(drafts(&db).is_empty(), "{:?}", drafts(&db));
}

#[test]
fn a_long_note_wraps_at_80_columns_and_the_confirm_box_shows_all_of_it() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let number = claimed_by_lina(&db);
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| s.contains(&number));
    pty.send_keys(b"p");
    pty.wait_for("the call screen", SHORT, |s| {
        s.contains(&format!("Call {number}"))
    });
    pty.send_keys(b"e");
    // 60 wide characters = 120 cells: past column 80 before the fix.
    let long: String = "客户反映宽带断网已经三天".repeat(5);
    pty.send_keys(long.as_bytes());
    pty.send_keys(b" END-OF-NOTE");
    let (s, _) = pty.wait_for("the wrapped end of the note", SHORT, |s| {
        s.contains("END-OF-NOTE")
    });
    assert!(
        s.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80),
        "{s}"
    );
    pty.send_keys(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    pty.send_keys(b"o");
    pty.wait_for("the outcome picker", SHORT, |s| {
        s.contains("Pick the outcome")
    });
    pty.send_keys(b"3");
    pty.wait_for("the whole note in the confirm box", SHORT, |s| {
        s.contains("Confirm") && s.contains("END-OF-NOTE")
    });
}

#[test]
fn from_a_customer_record_the_detail_and_a_call_return_to_the_record() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let number = claimed_by_lina(&db);
    let mut pty = Pty::hotline(&db.path, "lina", &[], 100, 30);
    pty.wait_for("the queue", START, |s| s.contains(&number));
    pty.send_keys(b"1"); // mine: the filter must come back as it was
    pty.wait_for("mine", SHORT, |s| s.contains("[Mine]"));
    pty.send_keys(b"o");
    pty.wait_for("the record", SHORT, |s| s.contains("Customer record"));
    pty.send_keys(b"\r");
    pty.wait_for("the complaint's detail", SHORT, |s| {
        !s.contains("Customer record") && s.contains("Broadband down")
    });
    pty.send_keys(b"\x1b");
    pty.wait_for("the record again", SHORT, |s| s.contains("Customer record"));
    pty.send_keys(b"p");
    pty.wait_for("the call", SHORT, |s| s.contains(&format!("Call {number}")));
    pty.send_keys(b"\x1b");
    pty.wait_for("the record after the call", SHORT, |s| {
        s.contains("Customer record")
    });
    pty.send_keys(b"\x1b");
    pty.wait_for("the queue with its filter", SHORT, |s| s.contains("[Mine]"));
}

#[test]
fn r5_the_intake_form_finds_and_picks_an_existing_customer() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let file = db.dir.path().join("c.csv");
    std::fs::write(&file, "code,name,phone\nK001,张三,13912345678\n").expect("csv");
    let out = db.run(&["import", "customers", file.to_str().expect("path")], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let audited = db.count("SELECT count(*) FROM audit");
    let mut pty = Pty::hotline(&db.path, "lina", &[], 80, 24);
    pty.wait_for("the queue", START, |s| s.contains("Hotline · Queue"));
    pty.send_keys(b"n");
    pty.wait_for("the form", SHORT, |s| s.contains("New complaint"));
    pty.send_keys(b"\x06"); // Ctrl-f
    pty.wait_for("the search, picking", SHORT, |s| {
        s.contains("Search customers") && s.contains("picks this customer")
    });
    pty.send_keys(b"zs");
    pty.wait_for("张三", SHORT, |s| s.contains("张三"));
    pty.send_keys(b"\r");
    pty.wait_for("the form with the customer in hand", SHORT, |s| {
        s.contains("New complaint") && s.contains("customer in hand: 张三")
    });
    // Picking showed a summary only: no record was opened, nothing audited.
    assert_eq!(db.count("SELECT count(*) FROM audit"), audited);
}
