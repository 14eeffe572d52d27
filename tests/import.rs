//! `hotline import customers` through the real binary: a GB18030 file with
//! Chinese headers and CRLF line ends, bad rows listed with their line and
//! reason (and written to a rejects file) while the good ones go in,
//! re-importing the same file adds nobody, a later file updates only what
//! it gives, dry runs change nothing, and only supervisors may import.
// Test code speaks through panics: a failed unwrap is a failed test; a scenario reads best whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
mod common;
use common::*;

use std::path::PathBuf;

fn write(db: &TempDb, name: &str, bytes: &[u8]) -> PathBuf {
    let p = db.dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn import(db: &TempDb, file: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "customers", file.to_str().expect("path")];
    args.extend(extra);
    db.run(&args, "")
}

fn gb18030(s: &str) -> Vec<u8> {
    let (b, _, bad) = encoding_rs::GB18030.encode(s);
    assert!(!bad);
    b.into_owned()
}

const GB_FILE: &str = "客户编号,姓名,手机,电话,车牌号,客户等级,公司,地址,备注\r\n\
K001,张三,139 1234 5678,010-12345678,粤B-12345,A,深圳市华强科技有限公司,\"广东省深圳市南山区科技园南路88号\",老客户\r\n\
K002,李四,13800138000,,京a·88k88,b,,北京市海淀区,\r\n\
,王五,13600007777；13600008888,,,C类,,,\r\n";

#[test]
fn gb18030_file_with_chinese_headers_and_crlf() {
    let db = TempDb::new();
    let f = write(&db, "客户.csv", &gb18030(GB_FILE));
    let out = import(&db, &f, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("as gb18030"), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("3 added, 0 updated"),
        "{}",
        stdout(&out)
    );
    let c = db.conn();
    let row: (String, String, String, String, String, String) = c
        .query_row(
            "SELECT name, class, plates, company, address, notes FROM customers WHERE code = 'K001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .expect("K001");
    assert_eq!(
        row,
        (
            "张三".into(),
            "a".into(),
            "粤B12345".into(),
            "深圳市华强科技有限公司".into(),
            "广东省深圳市南山区科技园南路88号".into(),
            "老客户".into()
        )
    );
    // Both phone columns, normalised; several phones in one cell.
    assert_eq!(
        db.count("SELECT count(*) FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE c.code = 'K001'"),
        2
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customer_phones WHERE phone IN ('13912345678', '01012345678', '13600007777', '13600008888')"),
        4
    );
    assert_eq!(
        db.count("SELECT count(*) FROM customers WHERE plates = '京A88K88' AND class = 'b'"),
        1
    );
    // Found by the search at once.
    let out = db.run(&["search", "zs", "5678"], "");
    assert!(stdout(&out).contains("K001"), "{}", stdout(&out));
    // The import is audited.
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE action = 'import'"),
        1
    );
}

#[test]
fn utf8_with_bom_and_english_headers() {
    let db = TempDb::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Name,Phone,Plate,Class,Code,Notes\nWang Fang,+86 138 0000 1111,沪C-1A234,d,W1,\"two\nlines\"\n".as_bytes());
    let f = write(&db, "c.csv", &bytes);
    let out = import(&db, &f, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        db.count(
            "SELECT count(*) FROM customers WHERE name = 'Wang Fang' AND notes = 'two\nlines'"
        ),
        1
    );
    // Forced encodings: GB18030 bytes are not UTF-8.
    let f = write(&db, "g.csv", &gb18030(GB_FILE));
    let out = import(&db, &f, &["--encoding", "utf-8"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    let out = import(&db, &f, &["--encoding", "gb18030", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn bad_rows_listed_by_line_and_reason_the_good_ones_imported() {
    let db = TempDb::new();
    let long = "长".repeat(101);
    let text = format!(
        "姓名,手机,客户等级,备注\r\n\
         张三,13912345678,A,\r\n\
         ,13800000001,B,\r\n\
         王五,138abc,C,\r\n\
         赵六,13600000002,E,\r\n\
         {long},13600000003,C,\r\n\
         钱\u{1b}[2J七,13600000004,C,\r\n\
         孙八,,C,no phone and no code\r\n\
         李四,13800138000,b,\r\n"
    );
    let f = write(&db, "c.csv", &gb18030(&text));
    let out = import(&db, &f, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "line 3: name: is empty",
        "line 4: phone:",
        "line 5: class:",
        "line 6: name: is too long",
        "line 7: name: contains a control character",
        "line 8: phone: a row needs a phone or a customer code",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    // No escape reaches the terminal from the rejected cell.
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(stdout(&out).starts_with("2 added"), "{}", stdout(&out));
    assert_eq!(db.count("SELECT count(*) FROM customers"), 2);
    // The rejects file: UTF-8 with BOM, line, reason, then the row.
    let rejects = std::fs::read_to_string(db.dir.path().join("c.rejects.csv")).expect("rejects");
    let rejects = rejects.trim_start_matches('\u{feff}');
    assert!(
        rejects.starts_with("line,reason,姓名,手机,客户等级,备注"),
        "{rejects}"
    );
    assert_eq!(rejects.lines().count(), 7, "{rejects}");
    assert!(rejects.contains("4,\"phone: \"\"138abc\"\""), "{rejects}");
}

#[test]
fn importing_the_same_file_twice_adds_nobody() {
    let db = TempDb::new();
    let f = write(&db, "c.csv", &gb18030(GB_FILE));
    assert!(import(&db, &f, &[]).status.success());
    let revision = db.count("SELECT rev FROM customer_rev");
    let out = import(&db, &f, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("0 added, 0 updated, 3 unchanged"),
        "{}",
        stdout(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM customers"), 3);
    assert_eq!(db.count("SELECT count(*) FROM customer_phones"), 5);
    // Nothing was rewritten, so the search index has nothing to re-read.
    assert_eq!(db.count("SELECT rev FROM customer_rev"), revision);

    // A later file updates only where it gives a value: matched by code
    // (K001), else by phone (王五, no code); empty cells keep what is there;
    // a new phone is added, none removed.
    let later = "客户编号,姓名,手机,车牌号,客户等级,公司,地址\r\n\
                 K001,张三,13500000000,,B,,新地址\r\n\
                 ,王五,13600008888,沪A12345,,,\r\n";
    let f2 = write(&db, "later.csv", &gb18030(later));
    let out = import(&db, &f2, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("0 added, 2 updated"),
        "{}",
        stdout(&out)
    );
    let (class, company, address, plates): (String, String, String, String) = db
        .conn()
        .query_row(
            "SELECT class, company, address, plates FROM customers WHERE code = 'K001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("K001");
    assert_eq!(
        (
            class.as_str(),
            company.as_str(),
            address.as_str(),
            plates.as_str()
        ),
        ("b", "深圳市华强科技有限公司", "新地址", "粤B12345")
    );
    assert_eq!(db.count("SELECT count(*) FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE c.code = 'K001'"), 3);
    assert_eq!(db.count("SELECT count(*) FROM customers WHERE name = '王五' AND plates = '沪A12345' AND class = 'c'"), 1);
    assert_eq!(db.count("SELECT count(*) FROM customers"), 3);
    // A phone that belongs to a customer with another code is refused, not
    // merged into them.
    let clash = write(
        &db,
        "clash.csv",
        "code,name,phone\nK999,张三,13912345678\n".as_bytes(),
    );
    let out = import(&db, &clash, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("line 2: code:"), "{}", stderr(&out));
    assert_eq!(db.count("SELECT count(*) FROM customers"), 3);
}

#[test]
fn dry_run_changes_nothing_and_agents_may_not_import() {
    let db = TempDb::new();
    db.add_agent("lina", "Li Na", "agent");
    let f = write(&db, "c.csv", &gb18030(GB_FILE));
    let out = import(&db, &f, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("3 would be added"),
        "{}",
        stdout(&out)
    );
    assert_eq!(db.count("SELECT count(*) FROM customers"), 0);
    assert_eq!(
        db.count("SELECT count(*) FROM audit WHERE action = 'import'"),
        0
    );
    let out = db.run(
        &[
            "--agent",
            "lina",
            "import",
            "customers",
            f.to_str().expect("path"),
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("only a supervisor or above may import customers"),
        "{}",
        stderr(&out)
    );
    // A file without a name column changes nothing and says why.
    let f = write(&db, "x.csv", b"phone,code\n13800138000,K1\n");
    let out = import(&db, &f, &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no name column"), "{}", stderr(&out));
}
