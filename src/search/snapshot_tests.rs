//! The snapshot file: what is read back equals what was written, and every
//! kind of bad file is refused with its reason (issue 10's bad input), never
//! a panic and never an index with wrong results.
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use super::*;
use crate::search::tests::corpus;

const META: Meta = Meta {
    app_id: 0x484C_494E,
    db_id: [7; 16],
    rev: 1000,
};

const QUERIES: &[&str] = &[
    "zs", "zhangsan", "张", "5678", "139", "粤b", "k0001", "南山", "wang", "lw", "shan",
    "zhagnsan", "li wei", "华强", "dan",
];

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    idx: Index,
}

/// An index of `n` customers (some replaced and removed, so that dead
/// slots and slots after the prefix lists are written too) and its
/// snapshot beside a (fake) database file.
fn fixture(n: i64) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("hotline.db");
    fs::write(&db, b"not read").expect("db");
    fs::set_permissions(&db, fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut idx = Index::build(corpus(n));
    let mut more = corpus(n + 20);
    for k in more.drain(n as usize..) {
        idx.upsert(k);
    }
    idx.remove(3);
    write(&db, &idx, &META).expect("write");
    Fixture { _dir: dir, db, idx }
}

fn same_results(a: &Index, b: &Index) {
    assert_eq!(a.len(), b.len());
    for q in QUERIES {
        assert_eq!(a.query(q, 20, true), b.query(q, 20, true), "{q}");
        assert_eq!(a.query(q, 20, false), b.query(q, 20, false), "{q}");
    }
}

fn bytes(f: &Fixture) -> Vec<u8> {
    fs::read(path_for(&f.db)).expect("read")
}

fn put(f: &Fixture, b: &[u8]) {
    fs::write(path_for(&f.db), b).expect("write");
}

/// Rewrites the trailer so that a patched header passes the checksum: the
/// header checks themselves must catch it.
fn reseal(b: &mut [u8]) {
    let n = b.len() - 8;
    let sum = xxhash_rust::xxh3::xxh3_64(&b[..n]);
    b[n..].copy_from_slice(&sum.to_le_bytes());
}

#[test]
fn read_back_equals_the_index_written() {
    let f = fixture(3000);
    let (idx, rev) = read(&f.db, &META).expect("read");
    assert_eq!(rev, META.rev);
    // Codes handed out in id order: the code list is stored as identity.
    assert!(idx.sorted.lists[3].identity > 0 && idx.sorted.lists[3].slots.is_empty());
    assert_eq!(idx.sorted.lists[0].identity, 0);
    same_results(&f.idx, &idx);
    assert_eq!(idx.query("k0001", 20, true).len(), 10, "K00010..K00019");
    assert!(!idx.contains(3) && idx.contains(4) && idx.contains(3010));
    // A later revision of the database is fine: the caller catches up.
    assert!(read(&f.db, &Meta { rev: 5000, ..META }).is_ok());
}

#[test]
fn a_read_index_follows_upserts_like_the_original() {
    let f = fixture(1500);
    let (mut idx, _) = read(&f.db, &META).expect("read");
    let mut orig = f.idx.clone();
    for k in corpus(1600).into_iter().skip(1400) {
        idx.upsert(k.clone());
        orig.upsert(k);
    }
    idx.remove(10);
    orig.remove(10);
    same_results(&orig, &idx);
}

#[test]
fn missing_snapshot() {
    let f = fixture(10);
    fs::remove_file(path_for(&f.db)).expect("rm");
    assert_eq!(read(&f.db, &META).err(), Some(Rejected::Missing));
}

#[test]
fn newer_and_older_format_refused() {
    let f = fixture(200);
    for (v, want) in [
        (FORMAT + 1, Rejected::NewerFormat(FORMAT + 1)),
        (FORMAT - 1, Rejected::OlderFormat(FORMAT - 1)),
    ] {
        let mut b = bytes(&f);
        b[8..12].copy_from_slice(&v.to_le_bytes());
        reseal(&mut b);
        put(&f, &b);
        assert_eq!(read(&f.db, &META).err(), Some(want));
    }
}

#[test]
fn another_key_encoding_refused() {
    let f = fixture(200);
    let mut b = bytes(&f);
    b[12] ^= 1;
    reseal(&mut b);
    put(&f, &b);
    assert_eq!(read(&f.db, &META).err(), Some(Rejected::OtherEncoding));
}

#[test]
fn another_databases_snapshot_refused() {
    let f = fixture(200);
    let other = Meta {
        db_id: [8; 16],
        ..META
    };
    assert_eq!(read(&f.db, &other).err(), Some(Rejected::Foreign));
    let other_app = Meta { app_id: 1, ..META };
    assert_eq!(read(&f.db, &other_app).err(), Some(Rejected::Foreign));
}

#[test]
fn snapshot_ahead_of_the_database_refused() {
    let f = fixture(200);
    let restored = Meta { rev: 999, ..META };
    assert_eq!(
        read(&f.db, &restored).err(),
        Some(Rejected::Ahead {
            snapshot: 1000,
            database: 999
        })
    );
}

#[test]
fn truncated_at_every_4k_boundary_refused() {
    let f = fixture(3000);
    let b = bytes(&f);
    assert!(b.len() > 40 * 4096, "{} bytes: too few cuts", b.len());
    let mut cuts: Vec<usize> = (0..b.len()).step_by(4096).collect();
    cuts.extend([1, 7, 60, b.len() - 8, b.len() - 1]);
    for cut in cuts {
        put(&f, &b[..cut]);
        assert_eq!(
            read(&f.db, &META).err(),
            Some(Rejected::Truncated),
            "cut at {cut}"
        );
    }
}

#[test]
fn random_bytes_refused() {
    let f = fixture(300);
    let good = bytes(&f);
    let mut r = crate::demo::Rng::new(7);
    let mut noise = |n: usize| -> Vec<u8> { (0..n).map(|_| r.next_u64() as u8).collect() };
    put(&f, &noise(good.len()));
    assert_eq!(read(&f.db, &META).err(), Some(Rejected::NotASnapshot));
    // A good header over random sections: lengths point past the end or
    // the checksum fails; nothing is allocated beyond the file.
    let mut b = good.clone();
    let tail = noise(b.len() - HEADER as usize);
    b[HEADER as usize..].copy_from_slice(&tail);
    put(&f, &b);
    let e = read(&f.db, &META).err();
    assert!(
        matches!(e, Some(Rejected::Truncated | Rejected::Checksum)),
        "{e:?}"
    );
    // One flipped bit anywhere in the body: the checksum.
    for at in [HEADER as usize + 3, good.len() / 2, good.len() - 9] {
        let mut b = good.clone();
        b[at] ^= 0x10;
        put(&f, &b);
        let e = read(&f.db, &META).err();
        assert!(
            matches!(e, Some(Rejected::Checksum | Rejected::Truncated)),
            "{at}: {e:?}"
        );
    }
}

#[test]
fn well_sealed_but_inconsistent_sections_refused() {
    // A file whose checksum matches but whose offsets or slot numbers do
    // not fit its arrays (a bug or a forgery): refused, no panic.
    let f = fixture(300);
    type Spoil = fn(&mut Index);
    let cases: [(Spoil, &str); 4] = [
        (|i| i.sorted.lists[0].slots[0] = u32::MAX, "prefix lists"),
        (
            |i| i.store.arenas[0].off.rel[1] = u16::MAX,
            "record offsets",
        ),
        (
            |i| i.store.flags.truncate(i.store.flags.len() - 1),
            "per-customer arrays",
        ),
        (|i| drop(i.sorted.lists.pop()), "prefix lists"),
    ];
    for (spoil, what) in cases {
        let mut bad = f.idx.clone();
        spoil(&mut bad);
        write(&f.db, &bad, &META).expect("write");
        assert_eq!(read(&f.db, &META).err(), Some(Rejected::Malformed(what)));
    }
}

#[test]
fn written_atomically_with_the_databases_permissions() {
    let f = fixture(100);
    let mode = |p: &std::path::Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&path_for(&f.db)), 0o640);
    fs::set_permissions(&f.db, fs::Permissions::from_mode(0o600)).expect("chmod");
    write(&f.db, &f.idx, &META).expect("write");
    assert_eq!(mode(&path_for(&f.db)), 0o600);
    // Only the database and its snapshot: no temporary file left over.
    let dir = f.db.parent().expect("dir");
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["hotline.db", "hotline.db-search-index"]);
    // A directory nobody may write to: an error, the old snapshot intact.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o500)).expect("chmod");
    let denied = write(&f.db, &Index::new(), &META);
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).expect("chmod");
    // (root may write anyway; then the write simply succeeded)
    if denied.is_err() {
        let (idx, _) = read(&f.db, &META).expect("old snapshot");
        same_results(&f.idx, &idx);
    }
}
