//! Issue 11, defects 1-4 and the CSV parts of 13, through the real binary:
//! the rejects file never overwrites the database, its WAL/SHM or the
//! input (by name or symlink) and is written whole; a short rejected row
//! still gives a summary and a whole rejects file; a row joining one
//! customer's code to another's phone is refused; a file mixing UTF-8 and
//! GB18030 is refused with its lines; stray columns are summarised;
//! phones per customer are bounded; formula cells are neutralised.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::path::{Path, PathBuf};

fn write(db: &TempDb, name: &str, bytes: &[u8]) -> PathBuf {
    let p = db.dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn import(db: &TempDb, file: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "customers", file.to_str().expect("path")];
    args.extend(extra);
    db.run(&args, "")
}

fn read_rejects(p: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(p).expect("rejects file");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn rejects_never_overwrite_the_database_wal_shm_or_input() {
    let db = TempDb::new();
    let f = write(&db, "rj.csv", b"name,phone\nbad,abc\ngood,13900000099\n");
    let db_bytes = std::fs::read(&db.path).unwrap();
    let link = db.dir.path().join("link.csv");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    let wal = PathBuf::from(format!("{}-wal", db.path.display()));
    let shm = PathBuf::from(format!("{}-shm", db.path.display()));
    for target in [db.path.clone(), wal, shm, f.clone(), link] {
        let out = import(&db, &f, &["--rejects", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{target:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--rejects:") && stderr(&out).contains("Give another path"),
            "{}",
            stderr(&out)
        );
        assert_eq!(db.count("SELECT count(*) FROM customers"), 0, "{target:?}");
    }
    assert!(db.integrity_ok());
    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        db_bytes,
        "the file is untouched"
    );
    assert_eq!(
        std::fs::read(&f).unwrap(),
        b"name,phone\nbad,abc\ngood,13900000099\n"
    );
}

#[test]
fn a_short_rejected_row_still_gives_a_summary_and_a_whole_rejects_file() {
    let db = TempDb::new();
    let f = write(
        &db,
        "short.csv",
        b"name,phone\nonlyname\nbadphone,abc\ngood,13900000099\n",
    );
    let out = import(&db, &f, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("1 added, 0 updated, 0 unchanged, 2 rejected"),
        "{}",
        stdout(&out)
    );
    let rows = read_rejects(&db.dir.path().join("short.rejects.csv"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r.len() == 4), "{rows:?}");
    assert_eq!(rows[1][0], "2");
    assert_eq!(rows[2][2], "badphone");
}

#[test]
fn a_code_of_one_customer_with_the_phone_of_another_is_refused() {
    let db = TempDb::new();
    let f = write(
        &db,
        "ab.csv",
        "name,phone,code\n甲,13900000001,KA\n乙,13900000002,\n".as_bytes(),
    );
    assert!(import(&db, &f, &[]).status.success());
    db.conn()
        .execute(
            "UPDATE customers SET confidential = 1 WHERE name = '乙'",
            [],
        )
        .unwrap();
    let steal = write(
        &db,
        "steal.csv",
        "name,phone,code\nsteal,13900000002,KA\n".as_bytes(),
    );
    let out = import(&db, &steal, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 2: phone: 139****0002 belongs to another customer"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains('乙'),
        "no leak of B: {}",
        stderr(&out)
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customers WHERE name = '甲' AND code = 'KA'"),
        1
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customers WHERE name = 'steal'"),
        0
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customer_phones WHERE phone = '13900000002'"),
        1
    );
    // Intake refuses the same join of two customers.
    let out = db.run(
        &["intake"],
        r#"{"channel":"phone","category":"service","subject":"x","customer":{"name":"steal","phone":"13900000002","code":"KA"}}"#,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("belongs to another customer"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM complaints"), 0);
}

#[test]
fn a_file_mixing_utf8_and_gb18030_is_refused_naming_lines() {
    let db = TempDb::new();
    let (gb, _, _) = encoding_rs::GB18030.encode("张四,13900000004\n");
    let mut bytes = "name,phone\n张三,13900000003\n".as_bytes().to_vec();
    bytes.extend_from_slice(&gb);
    let f = write(&db, "mixed.csv", &bytes);
    let out = import(&db, &f, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("mixes encodings: line 2 UTF-8, line 3 not UTF-8"),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM customers"), 0);
}

#[test]
fn stray_columns_are_summarised_and_phones_are_bounded() {
    let db = TempDb::new();
    let mut head = String::from("name,phone");
    for i in 0..100_000 {
        head.push_str(&format!(",x{i}"));
    }
    let f = write(
        &db,
        "wide.csv",
        format!("{head}\n张三,13900000005\n").as_bytes(),
    );
    let out = import(&db, &f, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = stderr(&out).lines().count();
    assert!(lines < 20, "{lines} lines of warnings");
    assert!(
        stderr(&out).contains("99990 more columns"),
        "{}",
        stderr(&out)
    );

    let phones: Vec<String> = (0..25).map(|i| format!("139{i:08}")).collect();
    let f = write(
        &db,
        "many.csv",
        format!("name,phone\n李四,\"{}\"\n", phones.join(";")).as_bytes(),
    );
    let out = import(&db, &f, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("phone: 25 given, at most 20 per customer"),
        "{}",
        stderr(&out)
    );
    let many: Vec<String> = (0..10_000).map(|i| format!("\"139{i:08}\"")).collect();
    let json = format!(
        r#"{{"channel":"phone","category":"service","subject":"x","customer":{{"name":"王","phones":[{}]}}}}"#,
        many.join(",")
    );
    let out = db.run(&["intake"], &json);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("at most 20"), "{}", stderr(&out));
    // Merging cannot pass the bound either.
    let f1 = write(
        &db,
        "m1.csv",
        format!("name,phone,code\n赵,\"{}\",KZ\n", phones[..15].join(";")).as_bytes(),
    );
    assert!(import(&db, &f1, &[]).status.success());
    let f2 = write(
        &db,
        "m2.csv",
        format!("name,phone,code\n赵,\"{}\",KZ\n", phones[15..].join(";")).as_bytes(),
    );
    let out = import(&db, &f2, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("at most 20"), "{}", stderr(&out));
}

#[test]
fn formula_cells_are_neutralised_in_the_rejects_file() {
    let db = TempDb::new();
    let f = write(
        &db,
        "f.csv",
        b"name,phone\n\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",abc\n=cmd|' /C calc'!A0,def\n",
    );
    let out = import(&db, &f, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rows = read_rejects(&db.dir.path().join("f.rejects.csv"));
    assert_eq!(rows.len(), 3);
    for r in &rows[1..] {
        assert!(r[2].starts_with("'="), "{r:?}");
    }
}
