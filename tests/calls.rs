//! Recording outcomes on a real database file (R17-R25), auto-close under
//! concurrency (R22), scripts import (R16) and drafts (R18).
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use chrono::{DateTime, Duration, TimeZone, Utc};
use hotline::domain::intake::{Complainant, NewComplaint};
use hotline::domain::model::{Channel, ContactMethod, Role, Severity, Status};
use hotline::domain::outcome::Choices;
use hotline::domain::survey::Answer;
use hotline::error::Error;
use hotline::store::calls::{self, Applied, Recorded};
use hotline::store::complaints::{self, Actor};
use hotline::store::{Db, OpenMode, agents, drafts};

fn t0() -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, 23, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

struct World {
    t: TempDb,
    db: Db,
    agent: i64,
}

impl World {
    fn new() -> World {
        let t = TempDb::new();
        let mut db = Db::open(&t.path, OpenMode::Existing).unwrap();
        let agent = db
            .write(|c| {
                agents::create(c, "sup", "孙丽", Role::Supervisor, 0)?;
                agents::create(c, "mgr", "黄敏", Role::Manager, 0)?;
                agents::create(c, "wang", "王芳", Role::Agent, 0)
            })
            .unwrap();
        World { t, db, agent }
    }

    fn complaint(&mut self, severity: Severity, who: Complainant) -> i64 {
        let nc = NewComplaint {
            channel: Channel::Phone,
            category: "service".into(),
            severity,
            major_reasons: vec![],
            subject: "宽带断网".into(),
            description: String::new(),
            received_at: t0(),
            complainant: who,
            sensitive: false,
            duplicate_of: None,
        };
        self.db
            .write_with_settings(|c, s| {
                complaints::register(c, &nc, Actor::SYSTEM, s, t0().timestamp())
            })
            .unwrap()
            .id
    }

    fn customer_complaint(&mut self, severity: Severity) -> i64 {
        let who = Complainant::Customer(hotline::domain::customer::NewCustomer {
            name: "张三".into(),
            phones: vec!["13800138000".into()],
            ..Default::default()
        });
        self.complaint(severity, who)
    }

    /// A general complaint resolved at t0, and the survey callback that
    /// resolving scheduled (R19).
    fn resolved_with_survey(&mut self) -> (i64, i64) {
        let id = self.customer_complaint(Severity::General);
        let cb = self
            .record(id, None, "resolved", t0())
            .unwrap()
            .scheduled
            .expect("a survey callback");
        (id, cb)
    }

    fn record(
        &mut self,
        complaint: i64,
        callback: Option<i64>,
        code: &str,
        at: DateTime<Utc>,
    ) -> Result<Applied, Error> {
        self.record_with(complaint, callback, code, at, |_| {})
    }

    fn record_with(
        &mut self,
        complaint: i64,
        callback: Option<i64>,
        code: &str,
        at: DateTime<Utc>,
        f: impl FnOnce(&mut Recorded<'_>),
    ) -> Result<Applied, Error> {
        let mut r = Recorded {
            complaint_id: complaint,
            callback_id: callback,
            agent: self.agent,
            role: Role::Agent,
            code,
            note: "客户已确认",
            method: ContactMethod::Phone,
            signature: None,
            survey: None,
            choices: Choices::default(),
            started_at: at.timestamp() - 120,
            draft: None,
        };
        f(&mut r);
        self.db
            .write_with_settings(|c, s| calls::record(c, &r, s, at.timestamp()))
    }

    fn one<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        self.t.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

#[test]
fn r19_resolved_schedules_a_survey_for_the_right_role() {
    let mut w = World::new();
    for (sev, role) in [
        (Severity::General, "agent"),
        (Severity::Important, "supervisor"),
        (Severity::Major, "manager"),
    ] {
        let id = w.customer_complaint(sev);
        let a = w.record(id, None, "resolved", t0()).unwrap();
        assert_eq!(a.status, Status::Resolved);
        let cb = a.scheduled.expect("a survey callback");
        let (purpose, due, r): (String, i64, String) =
            w.t.conn()
                .query_row(
                    "SELECT purpose, due_at, assignee_role FROM callbacks WHERE id = ?1",
                    [cb],
                    |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
                )
                .unwrap();
        assert_eq!((purpose.as_str(), r.as_str()), ("survey", role));
        assert_eq!(due, (t0() + Duration::days(3)).timestamp());
    }
    assert_eq!(
        w.one::<i64>("SELECT count(*) FROM contacts WHERE outcome = 'resolved'"),
        3
    );
}

#[test]
fn r22_anonymous_and_on_the_spot_need_no_callback_and_close_after_seven_quiet_days() {
    let mut w = World::new();
    let anon = w.complaint(Severity::General, Complainant::Anonymous);
    assert!(
        w.record(anon, None, "resolved", t0())
            .unwrap()
            .scheduled
            .is_none()
    );
    let spot = w.customer_complaint(Severity::General);
    assert!(
        w.record(spot, None, "resolved_on_spot", t0())
            .unwrap()
            .scheduled
            .is_none()
    );
    let repeat = w.customer_complaint(Severity::General);
    w.record(repeat, None, "resolved_on_spot", t0()).unwrap();
    // The same customer complains again in the same category: not quiet.
    let later = t0() + Duration::days(2);
    let nc = NewComplaint {
        channel: Channel::Phone,
        category: "service".into(),
        severity: Severity::General,
        major_reasons: vec![],
        subject: "又断了".into(),
        description: String::new(),
        received_at: later,
        complainant: Complainant::Existing(
            w.one("SELECT customer_id FROM complaints WHERE id = 2"),
        ),
        sensitive: false,
        duplicate_of: None,
    };
    w.db.write_with_settings(|c, s| {
        complaints::register(c, &nc, Actor::SYSTEM, s, later.timestamp())
    })
    .unwrap();
    let day6 = (t0() + Duration::days(6)).timestamp();
    assert!(
        w.db.write_with_settings(|c, s| complaints::auto_close(c, s, day6))
            .unwrap()
            .is_empty()
    );
    let day7 = (t0() + Duration::days(7)).timestamp();
    let mut closed =
        w.db.write_with_settings(|c, s| complaints::auto_close(c, s, day7))
            .unwrap();
    closed.sort();
    assert_eq!(
        closed,
        vec![anon],
        "the on-the-spot ones had a repeat complaint from the same customer"
    );
}

#[test]
fn r20_no_answer_retries_after_two_hours_and_fails_after_three_attempts() {
    let mut w = World::new();
    let (id, cb) = w.resolved_with_survey();
    let mut at = t0() + Duration::days(1);
    for attempt in 1..=2 {
        w.record(id, Some(cb), "no_answer", at).unwrap();
        let (due, attempts, status): (i64, i64, String) =
            w.t.conn()
                .query_row(
                    "SELECT due_at, attempts, status FROM callbacks WHERE id = ?1",
                    [cb],
                    |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
                )
                .unwrap();
        assert_eq!(
            (due, attempts, status.as_str()),
            ((at + Duration::hours(2)).timestamp(), attempt, "pending")
        );
        at += Duration::hours(2);
    }
    w.record(id, Some(cb), "no_answer", at).unwrap();
    assert_eq!(
        w.one::<String>("SELECT status FROM callbacks WHERE id = 1"),
        "failed"
    );
    assert_eq!(
        w.one::<i64>("SELECT attempts FROM callbacks WHERE id = 1"),
        3
    );
    // A finished callback cannot be recorded against again.
    assert!(w.record(id, Some(cb), "no_answer", at).is_err());
}

#[test]
fn r21_next_callback_at_an_agreed_time_goes_to_the_same_agent() {
    let mut w = World::new();
    let id = w.customer_complaint(Severity::General);
    let agreed = t0() + Duration::hours(26);
    let a = w
        .record_with(id, None, "next_callback", t0(), |r| {
            r.choices.next_at = Some(agreed)
        })
        .unwrap();
    let cb = a.scheduled.unwrap();
    let (due, assignee, purpose): (i64, i64, String) =
        w.t.conn()
            .query_row(
                "SELECT due_at, assignee_id, purpose FROM callbacks WHERE id = ?1",
                [cb],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
            )
            .unwrap();
    assert_eq!(
        (due, assignee, purpose.as_str()),
        (agreed.timestamp(), w.agent, "follow_up")
    );
    assert!(
        w.record(id, None, "next_callback", t0()).is_err(),
        "a time must be chosen"
    );
}

#[test]
fn r23_r25_survey_score_satisfied_closes_not_satisfied_reopens_with_history() {
    let mut w = World::new();
    let (id, cb) = w.resolved_with_survey();
    let answers = vec![Answer::Poor, Answer::Fair, Answer::Poor];
    let a = w
        .record_with(
            id,
            Some(cb),
            "not_satisfied",
            t0() + Duration::days(1),
            |r| r.survey = Some(answers.clone()),
        )
        .unwrap();
    assert_eq!((a.status, a.survey_score), (Status::InProgress, Some(20)));
    assert_eq!(
        w.one::<i64>("SELECT survey_score FROM contacts WHERE callback_id = 1"),
        20
    );
    // History intact: registered, resolve, outcome rows, reopen.
    assert!(w.one::<i64>("SELECT count(*) FROM complaint_events WHERE complaint_id = 1") >= 5);
    assert_eq!(
        w.one::<i64>(
            "SELECT count(*) FROM complaint_events WHERE kind = 'status' AND new = 'in_progress'"
        ),
        1
    );
    // Resolved again; the new survey is good: closed.
    let cb2 = w
        .record(id, None, "resolved", t0() + Duration::days(2))
        .unwrap()
        .scheduled
        .unwrap();
    let good = vec![Answer::Good, Answer::VeryGood, Answer::Fair];
    let a = w
        .record_with(id, Some(cb2), "satisfied", t0() + Duration::days(3), |r| {
            r.survey = Some(good)
        })
        .unwrap();
    assert_eq!((a.status, a.survey_score), (Status::Closed, Some(80)));
    // A poor score cannot be recorded as satisfied.
    let (id2, cb3) = w.resolved_with_survey();
    let e = w
        .record_with(id2, Some(cb3), "satisfied", t0(), |r| {
            r.survey = Some(vec![Answer::Poor])
        })
        .unwrap_err();
    assert!(e.to_string().contains("not satisfied"), "{e}");
}

#[test]
fn r24_a_visit_needs_a_signature_and_the_method_is_kept() {
    let mut w = World::new();
    let (id, cb) = w.resolved_with_survey();
    let e = w
        .record_with(id, Some(cb), "satisfied", t0(), |r| {
            r.method = ContactMethod::Visit
        })
        .unwrap_err();
    assert!(e.to_string().starts_with("signature:"), "{e}");
    w.record_with(id, Some(cb), "satisfied", t0(), |r| {
        r.method = ContactMethod::Visit;
        r.signature = Some("张三");
    })
    .unwrap();
    assert_eq!(
        w.one::<String>("SELECT method FROM callbacks WHERE id = 1"),
        "visit"
    );
    assert_eq!(
        w.one::<String>("SELECT signature FROM contacts WHERE callback_id = 1"),
        "张三"
    );
}

#[test]
fn escalate_transfer_wrong_number_refused() {
    let mut w = World::new();
    let id = w.customer_complaint(Severity::General);
    w.record(id, None, "escalated", t0()).unwrap();
    assert_eq!(
        w.one::<String>("SELECT severity FROM complaints WHERE id = 1"),
        "important"
    );
    let who: String = w.one(
        "SELECT a.role FROM complaints x JOIN agents a ON a.id = x.assignee_id WHERE x.id = 1",
    );
    assert_eq!(who, "supervisor");
    assert!(
        w.record(id, None, "transferred", t0()).is_err(),
        "a department must be chosen"
    );
    w.record_with(id, None, "transferred", t0(), |r| {
        r.choices.department = Some("售后服务部".into())
    })
    .unwrap();
    assert_eq!(
        w.one::<String>("SELECT status FROM complaints WHERE id = 1"),
        "in_progress"
    );
    assert_eq!(
        w.one::<String>("SELECT new FROM complaint_events WHERE kind = 'transferred'"),
        "售后服务部"
    );
    let (id2, cb) = w.resolved_with_survey();
    w.record(id2, Some(cb), "wrong_number", t0()).unwrap();
    assert_eq!(
        w.one::<String>(&format!("SELECT status FROM callbacks WHERE id = {cb}")),
        "failed"
    );
    let (id3, cb) = w.resolved_with_survey();
    w.record(id3, Some(cb), "refused", t0()).unwrap();
    assert_eq!(
        w.one::<String>(&format!("SELECT status FROM callbacks WHERE id = {cb}")),
        "done"
    );
    assert!(
        w.record(id3, None, "no_answer", t0()).is_err(),
        "no_answer needs a callback"
    );
    assert!(
        w.record(id3, None, "made_up", t0())
            .unwrap_err()
            .to_string()
            .starts_with("outcome:")
    );
}

#[test]
fn r18_a_confirmed_outcome_clears_its_draft() {
    let mut w = World::new();
    let id = w.customer_complaint(Severity::General);
    let agent = w.agent;
    w.db.write(|c| drafts::save(c, agent, "call:1", "客户说明天再打来", 5))
        .unwrap();
    assert_eq!(
        w.db.read(|c| drafts::load(c, agent, "call:1"))
            .unwrap()
            .unwrap()
            .0,
        "客户说明天再打来"
    );
    w.record_with(id, None, "escalated", t0(), |r| r.draft = Some("call:1"))
        .unwrap();
    assert!(
        w.db.read(|c| drafts::load(c, agent, "call:1"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn r22_auto_close_by_eight_processes_at_once_closes_each_once() {
    let mut w = World::new();
    let mut ids = Vec::new();
    for _ in 0..30 {
        let id = w.customer_complaint(Severity::General);
        w.record(id, None, "resolved_on_spot", t0()).unwrap();
        ids.push(id);
    }
    drop(w.db);
    // Eight days later, as seen by every process.
    let offset = (t0() + Duration::days(8) - Utc::now())
        .num_seconds()
        .to_string();
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(BIN)
                .arg("--db")
                .arg(&w.t.path)
                .arg("auto-close")
                .env("HOTLINE_CLOCK_OFFSET", &offset)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut total = 0;
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        let n: usize = stdout(&out)
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        total += n;
    }
    assert_eq!(total, 30, "each complaint closed by exactly one process");
    assert_eq!(
        w.t.count("SELECT count(*) FROM complaints WHERE status = 'closed'"),
        30
    );
    assert_eq!(
        w.t.count("SELECT count(*) FROM complaint_events WHERE note = 'auto-close (R22)'"),
        30
    );
    assert!(w.t.integrity_ok());
}

#[test]
fn r16_scripts_import_is_checked_and_changes_nothing_on_error() {
    let t = TempDb::new();
    t.conn().execute("INSERT INTO agents (login, name, role, created_at) VALUES ('sup', 'S', 'supervisor', 0)", []).unwrap();
    t.conn()
        .execute(
            "INSERT INTO agents (login, name, role, created_at) VALUES ('ag', 'A', 'agent', 0)",
            [],
        )
        .unwrap();
    let out = t.run(&["scripts", "export"], "");
    let text = stdout(&out);
    assert!(text.contains("{agent_id}") && text.contains("[script.en]"));
    let file = t.dir.path().join("s.toml");
    let before = t.count("SELECT sum(version) FROM scripts");
    std::fs::write(
        &file,
        text.replace("{customer_name}，您反映", "{customer}，您反映"),
    )
    .unwrap();
    let out = t.run(
        &[
            "--agent",
            "sup",
            "scripts",
            "import",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown placeholder {customer}"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("s.toml:"), "line number given");
    assert_eq!(t.count("SELECT sum(version) FROM scripts"), before);
    // An agent may not import; a supervisor may.
    std::fs::write(&file, text.replace("感谢您的来电", "感谢您来电")).unwrap();
    let out = t.run(
        &["--agent", "ag", "scripts", "import", file.to_str().unwrap()],
        "",
    );
    assert!(
        stderr(&out).contains("only a supervisor"),
        "{}",
        stderr(&out)
    );
    let out = t.run(
        &[
            "--agent",
            "sup",
            "scripts",
            "import",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 texts changed"), "{}", stdout(&out));
    assert_eq!(
        t.count("SELECT version FROM scripts WHERE key = 'closing' AND lang = 'zh'"),
        2
    );
}

#[test]
fn r33_an_agent_leaving_hands_over_in_one_step_with_history() {
    let mut w = World::new();
    let a = w.customer_complaint(Severity::General);
    let b = w.customer_complaint(Severity::General);
    let agent = w.agent;
    w.db.write(|c| {
        complaints::claim(c, a, agent, 1)?;
        complaints::claim(c, b, agent, 1)
    })
    .unwrap();
    w.record(a, None, "next_callback", t0()).unwrap_err(); // needs a time
    w.record_with(a, None, "next_callback", t0(), |r| {
        r.choices.next_at = Some(t0() + Duration::days(1))
    })
    .unwrap();
    drop(w.db);
    let out = w.t.run(
        &["--agent", "wang", "agent", "leave", "wang", "--to", "sup"],
        "",
    );
    assert!(
        stderr(&out).contains("only a manager or above"),
        "an agent may not: {}",
        stderr(&out)
    );
    let out = w.t.run(
        &["--agent", "mgr", "agent", "leave", "wang", "--to", "sup"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 open complaints and 1 callbacks"),
        "{}",
        stdout(&out)
    );
    assert_eq!(w.t.count("SELECT count(*) FROM complaints WHERE assignee_id = (SELECT id FROM agents WHERE login = 'sup')"), 2);
    assert_eq!(
        w.t.count("SELECT count(*) FROM complaint_events WHERE note = 'handover from wang (R33)'"),
        2
    );
    assert_eq!(
        w.t.count("SELECT active FROM agents WHERE login = 'wang'"),
        0
    );
    assert_eq!(
        w.t.count("SELECT count(*) FROM audit WHERE action = 'agent_left'"),
        1
    );
}

#[test]
fn r14_r20_a_fresh_retry_is_on_track_and_its_time_is_in_the_history() {
    let mut w = World::new();
    let (id, cb) = w.resolved_with_survey();
    // Three days after resolution the survey call gets no answer.
    let at = t0() + Duration::days(3);
    w.record(id, Some(cb), "no_answer", at).unwrap();
    let now = at.timestamp() + 1;
    let items =
        w.db.read(|c| hotline::store::queue::load(c, w.agent, Role::Agent, now + 86_400, 80))
            .unwrap();
    let retry = items
        .iter()
        .find(|i| i.kind == hotline::domain::queue::ItemKind::Callback && i.id == cb)
        .expect("the retry in the queue");
    // The retry's clock starts at the failed attempt: one second in, it
    // is on track, not "RISK left 1h".
    assert_eq!(retry.badge(now), hotline::domain::sla::Badge::OnTrack);
    // The row shows the complaint's own registration time, not the
    // callback's creation.
    assert_eq!(retry.received_at, t0().timestamp());
    assert_eq!(
        w.one::<String>("SELECT new FROM complaint_events WHERE kind = 'callback_retry'"),
        (at + Duration::hours(2)).timestamp().to_string()
    );
}

#[test]
fn r5_similar_open_complaints_of_other_customers_by_subject_and_category() {
    let mut w = World::new();
    let other = Complainant::Customer(hotline::domain::customer::NewCustomer {
        name: "李四".into(),
        phones: vec!["13900139000".into()],
        ..Default::default()
    });
    let id = w.complaint(Severity::General, other);
    let key = hotline::domain::similar::subject_key("宽带断网三天了");
    let found =
        w.db.read(|c| {
            complaints::similar_open(
                c,
                &complaints::SimilarQuery {
                    phone: Some("13700137000".into()),
                    category: Some("service".into()),
                    subject_key: key.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].id, found[0].reason.as_str()), (id, "subject"));
    // Another category: not the same problem.
    let none =
        w.db.read(|c| {
            complaints::similar_open(
                c,
                &complaints::SimilarQuery {
                    phone: Some("13700137000".into()),
                    category: Some("product".into()),
                    subject_key: key.clone(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    // A new customer's plate finds another customer's open complaint in
    // the same category (R5).
    w.db.write(|c| {
        c.execute(
            "UPDATE customers SET plates = '粤B12345' WHERE name = '李四'",
            [],
        )?;
        Ok(())
    })
    .unwrap();
    let by_plate =
        w.db.read(|c| {
            complaints::similar_open(
                c,
                &complaints::SimilarQuery {
                    category: Some("service".into()),
                    plate: Some("粤B12345".into()),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    assert_eq!(by_plate.len(), 1, "{by_plate:?}");
    assert_eq!(by_plate[0].reason, "plate");
}
