//! R28 monthly report over a month built by hand (complaints across
//! categories, severities and channels; clocks met, breached and running;
//! callbacks done, failed, pending and cancelled; surveys), every figure
//! worked out below and checked in all four formats of the real binary.
//! Also: R29 year end, R32 major export, bad input, an empty month, R28's
//! audit entry, roles; and the HTML in headless Chromium.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;

use std::collections::HashMap;
use std::path::Path;

use chrono::TimeZone;
use chrono_tz::Asia::Shanghai;
use common::{TempDb, stderr, stdout};
use rusqlite::params;

/// 2026-`m`-`d` `h`:00 in Shanghai.
fn at(m: u32, d: u32, h: u32) -> i64 {
    Shanghai
        .with_ymd_and_hms(2026, m, d, h, 0, 0)
        .single()
        .expect("time")
        .timestamp()
}
/// Every run sees "now" as 2026-12-02 12:00 in Shanghai, whatever the
/// date (HOTLINE_CLOCK_OFFSET shifts the binary's one clock).
fn run(db: &TempDb, args: &[&str]) -> std::process::Output {
    let offset = at(12, 2, 12) - chrono::Utc::now().timestamp();
    std::process::Command::new(common::BIN)
        .arg("--db")
        .arg(&db.path)
        .args(args)
        .env_remove("HOTLINE_DB")
        .env("HOTLINE_CLOCK_OFFSET", offset.to_string())
        .output()
        .expect("run hotline")
}

fn nov(d: u32, h: u32) -> i64 {
    at(11, d, h)
}

struct C {
    n: i64,
    cat: &'static str,
    sev: &'static str,
    ch: &'static str,
    status: &'static str,
    subject: &'static str,
    reg: i64,
    fr: (i64, Option<i64>),
    sol: (i64, Option<i64>),
    close: (i64, Option<i64>),
    ack: Option<(i64, Option<i64>)>,
    resolved: Option<i64>,
}

/// The fixture. As of the month's end (2026-12-01 00:00):
/// first response: met 1,2,4,5,6,7,10 = 7; breached 3 = 1; running 8,9 = 2
/// solution: met 1,4,5,6,10 = 5; breached 2,3,7 = 3; running 8,9 = 2
/// closure: met 1,2,6,10 = 4; breached 3,4,5 = 3; running 7,8,9 = 3
/// major report: met 4; breached 5 (acknowledged late)
/// resolved 1,2,4,5,6,10 = 6 of 10.
fn complaints() -> Vec<C> {
    let c = |n, cat, sev, ch, status, subject, reg| C {
        n,
        cat,
        sev,
        ch,
        status,
        subject,
        reg,
        fr: (0, None),
        sol: (0, None),
        close: (0, None),
        ack: None,
        resolved: None,
    };
    let mut v = Vec::new();
    let mut x = c(
        1,
        "service.wait",
        "general",
        "phone",
        "closed",
        "排队太久",
        nov(2, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(2, 18), Some(nov(2, 11))),
        (nov(3, 18), Some(nov(3, 10))),
        (nov(9, 10), Some(nov(5, 10))),
        Some(nov(3, 10)),
    );
    v.push(x);
    let mut x = c(
        2,
        "service.wait",
        "general",
        "phone",
        "closed",
        "排队太久",
        nov(3, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(3, 18), Some(nov(3, 11))),
        (nov(4, 18), Some(nov(5, 10))),
        (nov(10, 10), Some(nov(6, 10))),
        Some(nov(5, 10)),
    );
    v.push(x);
    let mut x = c(
        3,
        "service.wait",
        "important",
        "email",
        "new",
        "电话打不通",
        nov(4, 10),
    );
    (x.fr, x.sol, x.close) = ((nov(6, 18), None), (nov(5, 18), None), (nov(11, 10), None));
    v.push(x);
    let mut x = c(
        4,
        "service.billing",
        "major",
        "social",
        "closed",
        "重复扣费",
        nov(10, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(10, 18), Some(nov(10, 12))),
        (nov(11, 18), Some(nov(11, 10))),
        (nov(17, 10), Some(nov(20, 10))),
        Some(nov(11, 10)),
    );
    x.ack = Some((nov(11, 10), Some(nov(10, 11))));
    v.push(x);
    let mut x = c(
        5,
        "service.billing",
        "major",
        "web",
        "resolved",
        "重复扣费",
        nov(12, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(12, 18), Some(nov(12, 11))),
        (nov(13, 18), Some(nov(13, 9))),
        (nov(19, 10), None),
        Some(nov(13, 9)),
    );
    x.ack = Some((nov(13, 10), Some(nov(14, 10))));
    v.push(x);
    let mut x = c(
        6,
        "product.defect",
        "general",
        "phone",
        "closed",
        "屏幕坏了",
        nov(20, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(20, 18), Some(nov(20, 11))),
        (nov(21, 18), Some(nov(21, 10))),
        (nov(27, 10), Some(nov(25, 10))),
        Some(nov(21, 10)),
    );
    v.push(x);
    let mut x = c(
        7,
        "product.defect",
        "important",
        "visit",
        "in_progress",
        "屏幕坏了",
        nov(28, 10),
    );
    (x.fr, x.sol, x.close) = (
        (nov(28, 18), Some(nov(28, 11))),
        (nov(30, 18), None),
        (at(12, 5, 10), None),
    );
    v.push(x);
    // Closed after the month ended: still open at its end.
    let mut x = c(
        8,
        "attitude.rude",
        "general",
        "letter",
        "closed",
        "态度差",
        nov(29, 10),
    );
    (x.fr, x.sol, x.close) = (
        (at(12, 2, 18), None),
        (at(12, 1, 18), None),
        (at(12, 6, 10), Some(at(12, 1, 12))),
    );
    v.push(x);
    // Answered after the month ended: running as of its end.
    let mut x = c(
        9,
        "attitude.rude",
        "general",
        "phone",
        "in_progress",
        "态度差",
        nov(30, 20),
    );
    (x.fr, x.sol, x.close) = (
        (at(12, 1, 18), Some(at(12, 1, 9))),
        (at(12, 1, 18), None),
        (at(12, 7, 20), None),
    );
    v.push(x);
    let mut x = c(
        10,
        "other",
        "general",
        "transfer",
        "closed",
        "其他问题",
        nov(15, 10),
    );
    (x.fr, x.sol, x.close, x.resolved) = (
        (nov(16, 10), Some(nov(15, 11))),
        (nov(16, 18), Some(nov(15, 12))),
        (nov(22, 10), Some(nov(16, 10))),
        Some(nov(15, 12)),
    );
    v.push(x);
    // October: one complaint, still open (age 31 days at the end of November).
    let mut x = c(
        11,
        "service.promise",
        "general",
        "phone",
        "new",
        "承诺未兑现",
        at(10, 30, 10),
    );
    (x.fr, x.sol, x.close) = (
        (at(10, 31, 18), None),
        (at(10, 31, 18), None),
        (at(11, 6, 10), None),
    );
    v.push(x);
    // December: outside the month.
    let mut x = c(
        12,
        "other",
        "general",
        "phone",
        "new",
        "十二月",
        at(12, 1, 10),
    );
    (x.fr, x.sol, x.close) = (
        (at(12, 1, 18), None),
        (at(12, 2, 18), None),
        (at(12, 8, 10), None),
    );
    v.push(x);
    v
}

fn fixture() -> TempDb {
    let db = TempDb::new();
    let sup = db.add_agent("zhao", "赵班长", "supervisor");
    db.add_agent("lina", "李娜", "agent");
    let c = db.conn();
    for x in complaints() {
        let cat: i64 = c
            .query_row("SELECT id FROM categories WHERE code = ?1", [x.cat], |r| {
                r.get(0)
            })
            .expect(x.cat);
        c.execute(
            "INSERT INTO complaints (id, number, channel, category_id, severity, status, subject,
                complainant_name, received_at, registered_at, updated_at, assignee_id,
                fr_risk, fr_due, fr_at, sol_risk, sol_due, sol_at, close_risk, close_due, closed_at,
                ack_risk, ack_due, ack_at, resolved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '王五', ?8, ?8, ?8, ?9,
                ?10, ?10, ?11, ?12, ?12, ?13, ?14, ?14, ?15, ?16, ?16, ?17, ?18)",
            params![
                x.n,
                format!("C2026-{:04}", x.n),
                x.ch,
                cat,
                x.sev,
                x.status,
                x.subject,
                x.reg,
                sup,
                x.fr.0,
                x.fr.1,
                x.sol.0,
                x.sol.1,
                x.close.0,
                x.close.1,
                x.ack.map(|a| a.0),
                x.ack.and_then(|a| a.1),
                x.resolved
            ],
        )
        .expect("complaint");
    }
    // Callbacks due in November: done (survey 100), done (survey 80), done
    // (no survey), failed, pending; a cancelled one and one due in December
    // do not count. A survey given without a callback still counts for
    // the score: scores 100, 80, 70 → 83.3.
    let cb = |id: i64, complaint: i64, due: i64, status: &str| {
        c.execute(
            "INSERT INTO callbacks (id, complaint_id, due_at, purpose, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'survey', ?4, ?3, ?3)",
            params![id, complaint, due, status],
        )
        .expect("callback");
    };
    cb(1, 1, nov(4, 10), "done");
    cb(2, 2, nov(7, 10), "done");
    cb(3, 4, nov(13, 10), "done");
    cb(4, 6, nov(23, 10), "failed");
    cb(5, 10, nov(18, 10), "pending");
    cb(6, 5, nov(16, 10), "cancelled");
    cb(7, 6, at(12, 3, 10), "pending");
    let contact = |complaint: i64, callback: Option<i64>, t: i64, score: Option<i64>| {
        c.execute(
            "INSERT INTO contacts (complaint_id, callback_id, agent_id, direction, started_at, survey_score)
             VALUES (?1, ?2, ?3, 'outbound', ?4, ?5)",
            params![complaint, callback, sup, t, score],
        )
        .expect("contact");
    };
    contact(1, Some(1), nov(4, 10), Some(100));
    contact(2, Some(2), nov(7, 10), Some(80));
    contact(4, Some(3), nov(13, 10), None);
    contact(6, None, nov(25, 11), Some(70));
    c.execute(
        "INSERT INTO complaint_events (complaint_id, at, agent_id, kind, old, new)
         VALUES (3, ?1, ?2, 'assigned', NULL, '赵班长')",
        params![nov(5, 9), sup],
    )
    .expect("event");
    db
}

fn report(db: &TempDb, format: &str, lang: &str) -> String {
    let out = run(
        db,
        &[
            "--agent", "zhao", "--lang", lang, "report", "--month", "2026-11", "--format", format,
        ],
    );
    assert!(out.status.success(), "{format}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn r28_every_figure_in_json() {
    let db = fixture();
    let v: serde_json::Value = serde_json::from_str(&report(&db, "json", "en")).expect("json");
    assert_eq!(v["month"], "2026-11");
    assert_eq!(v["complete"], true);
    assert_eq!(v["complaints"], 10);
    let counts = |k: &str| -> HashMap<String, i64> {
        v[k].as_array()
            .expect(k)
            .iter()
            .map(|c| {
                (
                    c["key"].as_str().unwrap_or("").to_string(),
                    c["n"].as_i64().unwrap_or(-1),
                )
            })
            .collect()
    };
    let m = |pairs: &[(&str, i64)]| -> HashMap<String, i64> {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        counts("by_category"),
        m(&[
            ("service.wait", 3),
            ("service.billing", 2),
            ("product.defect", 2),
            ("attitude.rude", 2),
            ("other", 1)
        ])
    );
    assert_eq!(
        counts("by_severity"),
        m(&[("major", 2), ("important", 2), ("general", 6)])
    );
    assert_eq!(
        counts("by_channel"),
        m(&[
            ("phone", 4),
            ("email", 1),
            ("social", 1),
            ("web", 1),
            ("visit", 1),
            ("letter", 1),
            ("transfer", 1)
        ])
    );
    let clocks: Vec<(String, i64, i64, i64, f64)> = v["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap_or("").into(),
                c["met"].as_i64().unwrap_or(-1),
                c["breached"].as_i64().unwrap_or(-1),
                c["running"].as_i64().unwrap_or(-1),
                c["compliance"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        clocks,
        vec![
            ("first_response".into(), 7, 1, 2, 87.5),
            ("solution".into(), 5, 3, 2, 62.5),
            ("closure".into(), 4, 3, 3, 57.1),
            ("major_report".into(), 1, 1, 0, 50.0),
        ]
    );
    assert_eq!(
        (
            &v["callbacks_due"],
            &v["callbacks_done"],
            &v["callbacks_failed"],
            &v["callbacks_pending"]
        ),
        (
            &serde_json::json!(5),
            &serde_json::json!(3),
            &serde_json::json!(1),
            &serde_json::json!(1)
        )
    );
    let rate = |k: &str| {
        let r = v["rates"]
            .as_array()
            .expect("rates")
            .iter()
            .find(|r| r["key"] == k)
            .cloned()
            .expect(k);
        (
            r["value"].as_f64().unwrap_or(-1.0),
            r["pass"].as_bool(),
            r["numerator"].as_i64(),
            r["denominator"].as_i64(),
        )
    };
    // R25/R26: (100 + 80 + 70) / 3 = 83.3, not > 90.
    assert_eq!(
        rate("satisfaction"),
        (83.3, Some(false), Some(250), Some(3))
    );
    // R26: 3 done of 5 due = 60 % ≥ 50; 2 surveys of 3 done = 66.7 % ≥ 60;
    // 6 resolved of 10 = 60 % < 95.
    assert_eq!(
        rate("callback_success"),
        (60.0, Some(true), Some(3), Some(5))
    );
    assert_eq!(
        rate("survey_completion"),
        (66.7, Some(true), Some(2), Some(3))
    );
    assert_eq!(rate("resolution"), (60.0, Some(false), Some(6), Some(10)));
    let top = &v["top_problems"][0];
    assert_eq!(top["category"]["key"], "service.wait");
    assert_eq!(top["category"]["n"], 3);
    assert_eq!(top["subjects"][0]["subject"], "排队太久");
    assert_eq!(top["subjects"][0]["n"], 2);
    assert_eq!(top["subjects"][1]["subject"], "电话打不通");
    assert_eq!(v["top_problems"].as_array().map(Vec::len), Some(5));
    // Trend: June..November; October had one complaint, both decided
    // clocks breached; November 17 met of 25 decided = 68 %.
    let trend = v["trend"].as_array().expect("trend");
    assert_eq!(trend.len(), 6);
    assert_eq!(trend[0]["month"], "2026-06");
    assert_eq!(trend[0]["complaints"], 0);
    assert!(trend[0]["sla_compliance"].is_null());
    assert_eq!(
        (&trend[4]["month"], &trend[4]["complaints"]),
        (&"2026-10".into(), &1.into())
    );
    assert_eq!(trend[4]["sla_compliance"], 0.0);
    assert_eq!(trend[5]["sla_compliance"], 68.0);
    assert_eq!(trend[5]["satisfaction"], 83.3);
    assert_eq!(trend[5]["resolution"], 60.0);
    // Open at the month's end, oldest first, with their age in days.
    let open: Vec<(String, i64)> = v["open_at_end"]
        .as_array()
        .expect("open")
        .iter()
        .map(|o| {
            (
                o["number"].as_str().unwrap_or("").into(),
                o["age_days"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    let want: Vec<(String, i64)> = [(11, 31), (3, 26), (5, 18), (7, 2), (8, 1), (9, 0)]
        .iter()
        .map(|(n, a)| (format!("C2026-{n:04}"), *a))
        .collect();
    assert_eq!(open, want);
    assert_eq!(v["open_at_end"][1]["last_action"], "assigned");
}

#[test]
fn r28_every_figure_in_csv() {
    let db = fixture();
    let csv = report(&db, "csv", "en");
    assert!(csv.starts_with('\u{feff}'), "UTF-8 with BOM");
    let mut rd = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        rd.headers().expect("header").iter().collect::<Vec<_>>(),
        ["section", "dimension", "key", "value"]
    );
    let rows: HashMap<(String, String, String), String> = rd
        .records()
        .map(|r| {
            let r = r.expect("row");
            (
                (r[0].to_string(), r[1].to_string(), r[2].to_string()),
                r[3].to_string(),
            )
        })
        .collect();
    let get = |s: &str, d: &str, k: &str| {
        rows.get(&(s.into(), d.into(), k.into()))
            .cloned()
            .unwrap_or_else(|| panic!("no row {s},{d},{k}"))
    };
    assert_eq!(get("total", "complaints", ""), "10");
    assert_eq!(get("category", "service.wait", "Long waiting time"), "3");
    assert_eq!(get("category", "other", "Other"), "1");
    assert_eq!(get("severity", "major", "MAJ"), "2");
    assert_eq!(get("severity", "general", "gen"), "6");
    assert_eq!(get("channel", "phone", "phone"), "4");
    assert_eq!(get("channel", "transfer", "transferred"), "1");
    for (clock, met, br, run, pct) in [
        ("first_response", "7", "1", "2", "87.5"),
        ("solution", "5", "3", "2", "62.5"),
        ("closure", "4", "3", "3", "57.1"),
        ("major_report", "1", "1", "0", "50.0"),
    ] {
        assert_eq!(
            [
                get("sla", clock, "met"),
                get("sla", clock, "breached"),
                get("sla", clock, "running"),
                get("sla", clock, "compliance_pct")
            ],
            [met, br, run, pct],
            "{clock}"
        );
    }
    assert_eq!(get("callbacks", "due", ""), "5");
    assert_eq!(get("callbacks", "failed", ""), "1");
    for (k, v, pass) in [
        ("satisfaction", "83.3", "false"),
        ("callback_success", "60.0", "true"),
        ("survey_completion", "66.7", "true"),
        ("resolution", "60.0", "false"),
    ] {
        assert_eq!(
            (get("target", k, "value"), get("target", k, "pass")),
            (v.into(), pass.into()),
            "{k}"
        );
    }
    assert_eq!(get("target", "satisfaction", "comparison"), ">");
    assert_eq!(get("target", "resolution", "target"), "95");
    assert_eq!(get("top_problem", "1. Long waiting time", ""), "3");
    assert_eq!(get("top_problem", "1. Long waiting time", "排队太久"), "2");
    assert_eq!(get("trend", "2026-11", "sla_compliance_pct"), "68.0");
    assert_eq!(get("trend", "2026-10", "complaints"), "1");
    assert_eq!(get("trend", "2026-07", "satisfaction"), "");
    assert_eq!(get("open_at_end", "count", ""), "6");
    assert_eq!(get("open_at_end", "C2026-0011", "age_days"), "31");
    assert_eq!(
        get("open_at_end", "C2026-0003", "category"),
        "Long waiting time"
    );
    // Chinese labels in the Chinese file.
    let zh = report(&db, "csv", "zh");
    assert!(zh.contains("service.wait,等待时间过长,3"), "{zh}");
}

/// The numbers in a text line, in order.
fn numbers(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| w.trim_end_matches('%').to_string())
        .filter(|w| w.parse::<f64>().is_ok())
        .collect()
}

fn line<'a>(text: &'a str, starts: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(starts))
        .unwrap_or_else(|| panic!("no line {starts:?} in\n{text}"))
}

#[test]
fn r28_every_figure_in_text_within_80_columns() {
    let db = fixture();
    let t = report(&db, "text", "en");
    for l in t.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(l) <= 80,
            "too wide: {l}"
        );
    }
    assert!(
        t.starts_with("Monthly complaint report 2026-11 (Asia/Shanghai)"),
        "{t}"
    );
    assert_eq!(numbers(line(&t, "Complaints:")), ["10"]);
    assert_eq!(numbers(line(&t, "Long waiting time")), ["3"]);
    assert_eq!(numbers(line(&t, "MAJ")), ["2"]);
    assert_eq!(numbers(line(&t, "phone")), ["4"]);
    assert_eq!(numbers(line(&t, "first response")), ["7", "1", "2", "87.5"]);
    assert_eq!(numbers(line(&t, "solution")), ["5", "3", "2", "62.5"]);
    assert_eq!(numbers(line(&t, "close ")), ["4", "3", "3", "57.1"]);
    assert_eq!(numbers(line(&t, "major report")), ["1", "1", "0", "50.0"]);
    assert!(line(&t, "Callbacks:").contains("due 5: done 3, failed 1, pending 1"));
    let sat = line(&t, "Satisfaction score");
    assert!(
        sat.contains("83.3")
            && sat.contains("> 90")
            && sat.contains("FAIL")
            && sat.contains("(250/3)"),
        "{sat}"
    );
    let cb = line(&t, "Callback success rate");
    assert!(
        cb.contains("60.0") && cb.contains("≥ 50") && cb.contains("PASS"),
        "{cb}"
    );
    let sv = line(&t, "Survey completion rate");
    assert!(
        sv.contains("66.7") && sv.contains("PASS") && sv.contains("(2/3)"),
        "{sv}"
    );
    let res = line(&t, "Resolution rate");
    assert!(
        res.contains("60.0") && res.contains("FAIL") && res.contains("(6/10)"),
        "{res}"
    );
    assert_eq!(
        numbers(line(&t, "2026-11 ")),
        ["10", "68.0", "83.3", "60.0", "66.7", "60.0"]
    );
    assert!(line(&t, "Still open at month end").contains("(6)"));
    assert_eq!(numbers(line(&t, "C2026-0011")), ["31"]);
    assert!(t.contains('█'), "block-character charts");
    let zh = report(&db, "text", "zh");
    assert!(zh.starts_with("月度投诉报告 2026-11"), "{zh}");
    assert!(line(&zh, "满意度得分").contains("未达标"));
}

fn well_formed(html: &str) {
    // Every element closed in order; void elements excepted.
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let j = after.find('>').expect("unclosed tag");
        let tag = &after[..j];
        rest = &after[j + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "mismatched </{name}>"
            );
        } else if !(tag.ends_with('/') || name == "meta") {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn r28_every_figure_in_html_self_contained() {
    let db = fixture();
    let h = report(&db, "html", "en");
    well_formed(&h);
    for bad in [
        "http:", "https:", "src=", "href=", "url(", "@import", "<script", "<link",
    ] {
        assert!(!h.contains(bad), "external reference or script: {bad}");
    }
    assert!(h.contains("@page { size: A4"), "prints on A4");
    assert!(h.contains("<span id=\"total\">10</span>"));
    for row in [
        "<td>first response</td><td class=\"n\">7</td><td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">87.5%</td>",
        "<td>solution</td><td class=\"n\">5</td><td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">62.5%</td>",
        "<td>close</td><td class=\"n\">4</td><td class=\"n\">3</td><td class=\"n\">3</td><td class=\"n\">57.1%</td>",
        "<td>major report</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">50.0%</td>",
        "<td>Satisfaction score</td><td class=\"n\">83.3</td><td class=\"n\">&gt; 90</td><td class=\"fail\">FAIL (250/3)</td>",
        "<td>Callback success rate</td><td class=\"n\">60.0</td><td class=\"n\">≥ 50</td><td class=\"pass\">PASS (3/5)</td>",
        "<td>Survey completion rate</td><td class=\"n\">66.7</td><td class=\"n\">≥ 60</td><td class=\"pass\">PASS (2/3)</td>",
        "<td>Resolution rate</td><td class=\"n\">60.0</td><td class=\"n\">≥ 95</td><td class=\"fail\">FAIL (6/10)</td>",
        "<td>Long waiting time</td><td class=\"n\">3</td>",
        "<td>MAJ</td><td class=\"n\">2</td>",
        "<td>phone</td><td class=\"n\">4</td>",
        "<td>2026-11</td><td class=\"n\">10</td><td class=\"n\">68.0</td><td class=\"n\">83.3</td><td class=\"n\">60.0</td><td class=\"n\">66.7</td><td class=\"n\">60.0</td>",
        "<td>C2026-0011</td><td class=\"n\">31</td>",
        "<li><b>Long waiting time</b> (3): 排队太久 (2); 电话打不通 (1)</li>",
    ] {
        assert!(h.contains(row), "missing {row}");
    }
    assert!(h.contains("Still open at month end (6)"));
    let zh = report(&db, "html", "zh");
    well_formed(&zh);
    assert!(zh.contains("<html lang=\"zh-CN\">") && zh.contains("月度投诉报告 2026-11"));
}

/// Headless Chromium from Debian's packages (`.ci/run` installs it).
fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    std::process::Command::new("/usr/bin/chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

#[test]
fn r28_html_renders_in_a_real_browser() {
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "headless Chromium is needed (apt-get install chromium; .ci/run does it)"
    );
    let db = fixture();
    let page = db.dir.path().join("report.html");
    let out = run(
        &db,
        &[
            "--agent", "zhao", "--lang", "en", "report", "--month", "2026-11", "--format", "html",
            "--out",
        ],
    );
    assert!(!out.status.success(), "--out needs a value");
    let p = page.to_str().expect("path");
    let out = run(
        &db,
        &[
            "--agent", "zhao", "--lang", "en", "report", "--month", "2026-11", "--format", "html",
            "--out", p,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let url = format!("file://{p}");
    let profile = tempfile::tempdir().expect("profile");
    let dom = chromium(&["--dump-dom", &url], profile.path());
    let dom = String::from_utf8_lossy(&dom.stdout);
    for want in [
        "Monthly complaint report 2026-11",
        "87.5%",
        "FAIL (250/3)",
        "PASS (3/5)",
        "C2026-0011",
        "排队太久",
    ] {
        assert!(dom.contains(want), "the rendered page lacks {want}");
    }
    // A screenshot of the report against one of a blank page taken the
    // same way: text, tables and bars make it far larger than blank.
    let shot = db.dir.path().join("report.png");
    let blank = db.dir.path().join("blank.png");
    let size = |f: &Path, target: &str| {
        let profile = tempfile::tempdir().expect("profile");
        chromium(
            &[
                &format!("--screenshot={}", f.display()),
                "--window-size=1240,1754",
                target,
            ],
            profile.path(),
        );
        std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)
    };
    let (r, b) = (size(&shot, &url), size(&blank, "about:blank"));
    assert!(r > 0 && b > 0, "screenshots written ({r}, {b})");
    assert!(
        r > 4 * b,
        "the report's screenshot ({r} B) is not far from a blank page's ({b} B)"
    );
}

#[test]
fn r28_producing_the_report_is_audited_and_roles_are_checked() {
    let db = fixture();
    let audited = || {
        db.count(
            "SELECT count(*) FROM audit WHERE entity = 'monthly_report' AND entity_id = 202611",
        )
    };
    assert_eq!(audited(), 0);
    report(&db, "text", "en");
    assert_eq!(audited(), 1);
    let out = run(&db, &["--agent", "lina", "report", "--month", "2026-11"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("only a supervisor or above may run reports"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &["--agent", "lina", "export", "major", "--out", "/tmp/x.csv"],
    );
    assert!(!out.status.success());
    assert_eq!(audited(), 1);
}

#[test]
fn r28_bad_input_is_refused_and_writes_nothing() {
    let db = fixture();
    let dir = db.dir.path();
    let keep = dir.join("keep.txt");
    std::fs::write(&keep, "old").expect("write");
    let mut ro = std::fs::metadata(&keep).expect("md").permissions();
    ro.set_readonly(true);
    std::fs::set_permissions(&keep, ro).expect("chmod");
    let missing = dir.join("no/such/dir/r.txt");
    let good = dir.join("r.txt");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--month".into(), "2026-13".into()], "no month 13"),
        (vec!["--month".into(), "2026/11".into()], "expected YYYY-MM"),
        (vec!["--month".into(), "2099-01".into()], "has not begun"),
        (
            vec!["--year".into(), "20x6".into(), "--open".into()],
            "expected a year",
        ),
        (
            vec!["--year".into(), "2099".into(), "--open".into()],
            "has not begun",
        ),
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--format".into(),
                "pdf".into(),
            ],
            "unknown format",
        ),
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--out".into(),
                missing.display().to_string(),
            ],
            "does not exist",
        ),
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--out".into(),
                keep.display().to_string(),
            ],
            "read-only",
        ),
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--out".into(),
                dir.display().to_string(),
            ],
            "is a directory",
        ),
        // Issue 11: an --out never lands on the database or its files.
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--out".into(),
                db.path.display().to_string(),
            ],
            "writing there would destroy it",
        ),
        (
            vec![
                "--month".into(),
                "2026-11".into(),
                "--out".into(),
                format!("{}-wal", db.path.display()),
            ],
            "writing there would destroy it",
        ),
    ];
    let before = db.count("SELECT count(*) FROM complaints");
    for (args, msg) in cases {
        let mut all = vec!["--agent".to_string(), "zhao".into(), "report".into()];
        all.extend(args.clone());
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = run(&db, &refs);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(stderr(&out).contains(msg), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?} printed a report");
    }
    assert_eq!(std::fs::read_to_string(&keep).expect("read"), "old");
    assert_eq!(db.count("SELECT count(*) FROM complaints"), before);
    assert!(db.integrity_ok());
    assert!(!missing.exists() && !good.exists());
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--out",
            &db.path.display().to_string(),
        ],
    );
    assert!(
        !out.status.success() && stderr(&out).contains("writing there would destroy it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM complaints"), before);
    assert!(db.integrity_ok());
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE entity = 'monthly_report'"),
        0
    );
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--out",
            &missing.display().to_string(),
        ],
    );
    assert!(!out.status.success() && stderr(&out).contains("does not exist"));
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--from",
            "2026-02-30",
            "--out",
            &good.display().to_string(),
        ],
    );
    assert!(
        !out.status.success() && stderr(&out).contains("not a date"),
        "{}",
        stderr(&out)
    );
    assert!(!good.exists());
}

#[test]
fn r28_an_empty_month_is_a_report_that_says_so() {
    let db = fixture();
    for format in ["text", "json", "csv", "html"] {
        let out = run(
            &db,
            &[
                "--agent", "zhao", "--lang", "en", "report", "--month", "2026-06", "--format",
                format,
            ],
        );
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let s = stdout(&out);
        match format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&s).expect("json");
                assert_eq!(v["empty"], true);
                assert!(
                    v["rates"]
                        .as_array()
                        .expect("rates")
                        .iter()
                        .all(|r| r["value"].is_null())
                );
            }
            "csv" => assert!(s.contains("meta,empty,,true"), "{s}"),
            _ => assert!(
                s.contains("No complaints, callbacks or surveys in this month."),
                "{format}: {s}"
            ),
        }
        assert!(!s.contains("NaN") && !s.contains("inf"), "{format}: {s}");
    }
}

#[test]
fn r29_year_end_open_list() {
    let db = fixture();
    let out = run(
        &db,
        &[
            "--agent", "zhao", "report", "--year", "2026", "--open", "--format", "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    // The year has not ended: open now are 3, 5, 7, 9, 11, 12 (8 closed on
    // December 1).
    let numbers: Vec<&str> = v["open"]
        .as_array()
        .expect("open")
        .iter()
        .filter_map(|o| o["number"].as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            "C2026-0011",
            "C2026-0003",
            "C2026-0005",
            "C2026-0007",
            "C2026-0009",
            "C2026-0012"
        ]
    );
    let first = &v["open"][0];
    assert_eq!(
        (&first["severity"], &first["category_en"]),
        (&"general".into(), &"Promise not kept".into())
    );
    assert!(first["assignee"] == "赵班长" && first["last_action"] == "registered");
    // A year that ended: as of its last instant.
    let out = run(
        &db,
        &[
            "--agent", "zhao", "--lang", "en", "report", "--year", "2025", "--open",
        ],
    );
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("Still open at year end (0)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn r32_major_complaints_exported_with_their_history() {
    let db = fixture();
    let file = db.dir.path().join("major.json");
    let f = file.to_str().expect("path");
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            "json",
            "--out",
            f,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    let list = v.as_array().expect("list");
    assert_eq!(
        list.iter()
            .filter_map(|m| m["number"].as_str())
            .collect::<Vec<_>>(),
        ["C2026-0004", "C2026-0005"]
    );
    // Complaint 4's history: its survey-less callback and the contact.
    let kinds: Vec<&str> = list[0]["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"callback:survey") && kinds.contains(&"contact:outbound"),
        "{kinds:?}"
    );
    let csv_file = db.dir.path().join("major.csv");
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--out",
            csv_file.to_str().expect("p"),
        ],
    );
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&csv_file).expect("csv");
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("C2026-0005") && !csv.contains("C2026-0003")
    );
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE entity = 'major_complaints'"),
        2
    );
    // Issue 11: a subject a spreadsheet would run as a formula is written
    // as text in the export.
    db.conn()
        .execute(
            "UPDATE complaints SET subject = '=HYPERLINK(\"http://x\",\"y\")' WHERE number = 'C2026-0005'",
            [],
        )
        .expect("subject");
    std::fs::remove_file(&csv_file).expect("rm");
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--out",
            csv_file.to_str().expect("p"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&csv_file).expect("csv");
    let cells: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .flat_map(|r| {
            r.expect("row")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(cells.iter().any(|c| c.starts_with("'=HYPERLINK")), "{csv}");
    assert!(
        !cells.iter().any(|c| c.starts_with('=')),
        "a formula cell: {csv}"
    );
}

#[test]
fn r28_the_wallboard_reminder_lasts_until_the_report_is_produced() {
    use hotline::domain::report::Reminder;
    let db = fixture();
    let now = at(12, 2, 12);
    let reminder = || {
        let mut d =
            hotline::store::Db::open(&db.path, hotline::store::OpenMode::Existing).expect("open");
        d.read_with_settings(|c, s| hotline::store::wallboard::facts(c, s, now, true))
            .expect("facts")
            .reminder
    };
    match reminder() {
        Some(Reminder::Due { month, overdue }) => {
            assert_eq!((month.label(), overdue), ("2026-11".into(), false))
        }
        other => panic!("expected a reminder, got {other:?}"),
    }
    report(&db, "html", "zh");
    assert_eq!(reminder(), Some(Reminder::None));
}

#[test]
fn r28_a_closed_pipe_ends_quietly() {
    let db = fixture();
    let offset = at(12, 2, 12) - chrono::Utc::now().timestamp();
    let mut child = std::process::Command::new(common::BIN)
        .arg("--db")
        .arg(&db.path)
        .args([
            "--agent", "zhao", "report", "--month", "2026-11", "--format", "html",
        ])
        .env("HOTLINE_CLOCK_OFFSET", offset.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader went away (`| head` closed)
    let out = child.wait_with_output().expect("wait");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn hostile_text_never_reaches_a_report_as_control_or_markup() {
    let db = TempDb::new();
    db.add_agent("zhao", "赵\u{1b}[2J班长", "supervisor");
    let c = db.conn();
    let evil = "<script>alert(1)</script>\u{1b}]0;pwned\u{7}\u{202e}反转\u{200b}";
    c.execute(
        "INSERT INTO complaints (number, channel, category_id, severity, status, subject,
            received_at, registered_at, updated_at, assignee_id, fr_risk, fr_due, sol_risk, sol_due,
            close_risk, close_due, ack_risk, ack_due)
         VALUES ('C2026-0001', 'phone', 1, 'major', 'new', ?1, ?2, ?2, ?2,
            (SELECT id FROM agents WHERE login = 'zhao'), ?3, ?3, ?3, ?3, ?3, ?3, ?3, ?3)",
        params![evil, nov(3, 10), nov(4, 10)],
    )
    .expect("complaint");
    for format in ["text", "csv", "html", "json"] {
        let out = run(
            &db,
            &[
                "--agent", "zhao", "report", "--month", "2026-11", "--format", format,
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let s = stdout(&out);
        assert!(
            !s.contains('\u{1b}') && !s.contains('\u{7}'),
            "{format}: control characters"
        );
        assert!(
            !s.contains('\u{202e}') && !s.contains('\u{200b}'),
            "{format}: invisible formatting"
        );
        if format == "html" {
            assert!(
                !s.contains("<script>") && s.contains("&lt;script&gt;"),
                "{s}"
            );
        }
    }
    let file = db.dir.path().join("m.csv");
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--out",
            file.to_str().expect("p"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&file).expect("csv");
    assert!(csv.contains("C2026-0001") && !csv.contains('\u{1b}') && !csv.contains('\u{202e}'));
}

/// Issue 11 defect 6 for the report and the major export: one invalid
/// UTF-8 byte in a subject is shown as U+FFFD, never a failed report.
#[test]
fn r28_r32_invalid_utf8_in_the_data_never_fails_a_report() {
    let db = fixture();
    db.conn()
        .execute(
            "UPDATE complaints SET subject = CAST(X'41429b324a' AS TEXT) WHERE number = 'C2026-0005'",
            [],
        )
        .expect("subject");
    for format in ["text", "csv", "html", "json"] {
        let out = report(&db, format, "en");
        assert!(out.contains("AB\u{FFFD}"), "{format}: {out}");
    }
    let file = db.dir.path().join("m.json");
    let out = run(
        &db,
        &[
            "--agent",
            "zhao",
            "export",
            "major",
            "--format",
            "json",
            "--out",
            file.to_str().expect("p"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("AB\u{FFFD}")
    );
}
