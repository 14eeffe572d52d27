//! The index on disk: a snapshot file beside the database, so that a
//! process starts with the index at once instead of rebuilding it.
//!
//! Layout (little-endian): a header — magic, format version, a fingerprint
//! of the key encoding, the database's `application_id` and identity
//! (migration 3), the `customers.rev` the index is current to and the slot
//! count — then every array of the index as a length-prefixed section, then
//! an xxh3-64 checksum of everything before it.
//!
//! Nothing in the file is trusted: the header is checked against the
//! database, every length against the bytes left in the file before
//! anything is allocated, the checksum before the index is used, and every
//! offset and slot number against the arrays it points into, so a bad file
//! is a [`Rejected`] reason (one log line, then a rebuild) and never a
//! panic or a wrong result. The file is read, not mapped
//! (`forbid(unsafe_code)`), and written to a temporary file that is renamed
//! over the old one, so a reader sees a whole snapshot or the previous one.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use xxhash_rust::xxh3::Xxh3;

use super::CustomerKeys;
use super::arena::{Arena, Index, Offsets, Originals, Store, letter_mask};
use super::idmap::Ids;
use super::keys::{ARENAS, Parts, encode};
use super::sorted::{LISTS, List, Sorted};

const MAGIC: &[u8; 8] = b"HLINDEX\x1a";
/// Bump whenever the layout of the sections changes. (Changes to how keys
/// are derived are caught by [`encoder_fingerprint`] without a bump.)
pub const FORMAT: u32 = 3;
/// Magic, format, fingerprint, application id, identity, rev, slots.
const HEADER: u64 = 8 + 4 + 8 + 8 + 16 + 8 + 8;
const CHUNK: usize = 1 << 16;

/// What a snapshot must belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// `PRAGMA application_id` of the database.
    pub app_id: i64,
    /// The database's random identity (`db_identity`, migration 3).
    pub db_id: [u8; 16],
    /// `customers.rev` the index is current to.
    pub rev: i64,
}

/// Why a snapshot was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    Missing,
    Unreadable(String),
    NotASnapshot,
    OlderFormat(u32),
    NewerFormat(u32),
    /// Written by a build that derives keys differently.
    OtherEncoding,
    /// Another database's (another identity or application id).
    Foreign,
    /// Current to a revision the database has not reached (a restored
    /// backup of the database beside a newer snapshot).
    Ahead {
        snapshot: i64,
        database: i64,
    },
    Truncated,
    Checksum,
    Malformed(&'static str),
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejected::Missing => write!(f, "there is none"),
            Rejected::Unreadable(e) => write!(f, "it cannot be read: {e}"),
            Rejected::NotASnapshot => write!(f, "it is not an index snapshot"),
            Rejected::OlderFormat(v) => write!(f, "it has format {v}, older than {FORMAT}"),
            Rejected::NewerFormat(v) => write!(
                f,
                "it has format {v}, newer than this hotline knows ({FORMAT})"
            ),
            Rejected::OtherEncoding => write!(f, "it was written by a build that keys differently"),
            Rejected::Foreign => write!(f, "it belongs to another database"),
            Rejected::Ahead { snapshot, database } => write!(
                f,
                "it is at revision {snapshot}, ahead of the database's {database} (restored backup?)"
            ),
            Rejected::Truncated => write!(f, "it is truncated"),
            Rejected::Checksum => write!(f, "its checksum does not match"),
            Rejected::Malformed(what) => write!(f, "it is malformed ({what})"),
        }
    }
}

/// Where the snapshot of the database at `db` lives.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-search-index");
    PathBuf::from(p)
}

/// A hash of how a fixed set of customers is encoded: a build that derives
/// keys differently (pinyin readings, folding, tags) gets another value, so
/// its snapshots are rebuilt rather than searched with the wrong keys.
pub fn encoder_fingerprint() -> u64 {
    static FP: OnceLock<u64> = OnceLock::new();
    *FP.get_or_init(|| {
        let sample = |id: i64, name: &str, phone: &str, plate: &str, company: &str| CustomerKeys {
            id,
            name: name.into(),
            phones: vec![phone.into(), format!("+86{phone}")],
            plates: vec![plate.into()],
            code: Some(format!("K{id:08}")),
            company: company.into(),
            address: "广东省深圳市南山区科技园南路 88 号 B 座".into(),
            class: 'A',
            confidential: id % 2 == 0,
            last_contact: id,
        };
        let samples = [
            sample(
                1,
                "张三",
                "13800138000",
                "粤B-12345",
                "深圳市腾达科技有限公司",
            ),
            sample(2, "单雪", "010-12345678", "京A·88K88", "Acme Ltd."),
            sample(3, "欧阳娜娜", "0755 1234567", "b12345", "长城物流"),
            sample(4, "Li Wei", "15912345678", "沪C 1A2B3", ""),
            sample(5, "曾重阳", "+85212345678", "", "重庆银行"),
            sample(6, "ＡＢＣ　张", "400-800-8888", "", "乐行传媒"),
        ];
        let mut h = Xxh3::new();
        h.update(&(ARENAS as u64).to_le_bytes());
        let mut parts: Parts = Default::default();
        for c in &samples {
            encode(c, &mut parts);
            for p in &parts {
                h.update(&(p.len() as u64).to_le_bytes());
                h.update(p);
                h.update(&letter_mask(p).to_le_bytes());
            }
        }
        h.digest()
    })
}

// ------------------------------------------------------------------ write

/// A writer that hashes everything it writes.
struct Out<W: Write> {
    w: W,
    h: Xxh3,
}

impl<W: Write> Out<W> {
    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.h.update(b);
        self.w.write_all(b)
    }

    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }

    /// A byte section: its length, then the bytes as they are.
    fn byte_section(&mut self, b: &[u8]) -> io::Result<()> {
        self.u64(b.len() as u64)?;
        self.bytes(b)
    }

    fn section<T: Copy, const N: usize>(
        &mut self,
        items: &[T],
        enc: impl Fn(T) -> [u8; N],
    ) -> io::Result<()> {
        self.u64(items.len() as u64)?;
        let mut buf = Vec::with_capacity(CHUNK * N);
        for part in items.chunks(CHUNK) {
            buf.clear();
            for &x in part {
                buf.extend_from_slice(&enc(x));
            }
            self.bytes(&buf)?;
        }
        Ok(())
    }
}

fn write_body<W: Write>(out: &mut Out<W>, idx: &Index, meta: &Meta) -> io::Result<()> {
    let st = &idx.store;
    out.bytes(MAGIC)?;
    out.bytes(&FORMAT.to_le_bytes())?;
    out.u64(encoder_fingerprint())?;
    out.bytes(&meta.app_id.to_le_bytes())?;
    out.bytes(&meta.db_id)?;
    out.bytes(&meta.rev.to_le_bytes())?;
    out.u64(st.slots() as u64)?;
    for a in st.arenas.iter().chain([&st.orig.names]) {
        out.byte_section(&a.bytes)?;
        out.section(&a.off.base, u32::to_le_bytes)?;
        out.section(&a.off.rel, u16::to_le_bytes)?;
    }
    out.section(&st.orig.slots, u32::to_le_bytes)?;
    match &st.ids {
        Ids::Narrow(v) => {
            out.bytes(&[4])?;
            out.section(v, u32::to_le_bytes)?;
        }
        Ids::Wide(v) => {
            out.bytes(&[8])?;
            out.section(v, i64::to_le_bytes)?;
        }
    }
    out.section(&st.last_contact, u32::to_le_bytes)?;
    out.byte_section(&st.flags)?;
    out.section(&st.masks, |[a, b, c]| {
        let mut w = [0u8; 6];
        w[..2].copy_from_slice(&a.to_le_bytes());
        w[2..4].copy_from_slice(&b.to_le_bytes());
        w[4..].copy_from_slice(&c.to_le_bytes());
        w
    })?;
    out.u64(idx.sorted.upto as u64)?;
    out.u64(idx.sorted.lists.len() as u64)?;
    for l in &idx.sorted.lists {
        out.u64(l.arena as u64)?;
        out.bytes(&[l.tag, u8::from(l.packed)])?;
        out.section(&l.slots, u32::to_le_bytes)?;
        out.byte_section(&l.nth)?;
        out.u64(l.identity as u64)?;
    }
    Ok(())
}

/// Writes the snapshot of `idx` for the database at `db` (temporary file,
/// then rename). The file gets the database file's read/write permission
/// bits (0600 if they cannot be read), so whoever may not read the
/// database may not read its customers' keys either.
pub fn write(db: &Path, idx: &Index, meta: &Meta) -> io::Result<PathBuf> {
    let path = path_for(db);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}-{nanos}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let mode = fs::metadata(db).map_or(0o600, |m| m.permissions().mode() & 0o666);
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        let mut out = Out {
            w: BufWriter::with_capacity(1 << 20, file),
            h: Xxh3::new(),
        };
        write_body(&mut out, idx, meta)?;
        let sum = out.h.digest();
        out.w.write_all(&sum.to_le_bytes())?;
        let file = out.w.into_inner().map_err(|e| e.into_error())?;
        // Not fsynced: a snapshot lost or torn by a power cut fails its
        // checksum and is rebuilt.
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        drop(file);
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| path)
}

// ------------------------------------------------------------------- read

/// A reader that hashes everything it reads and never reads (or
/// allocates) past the end of the file.
struct In<R: Read> {
    r: R,
    h: Xxh3,
    left: u64,
}

fn io_reject(e: io::Error) -> Rejected {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Rejected::Truncated
    } else {
        Rejected::Unreadable(e.to_string())
    }
}

impl<R: Read> In<R> {
    fn bytes(&mut self, buf: &mut [u8]) -> Result<(), Rejected> {
        if buf.len() as u64 > self.left {
            return Err(Rejected::Truncated);
        }
        self.r.read_exact(buf).map_err(io_reject)?;
        self.left -= buf.len() as u64;
        self.h.update(buf);
        Ok(())
    }

    fn arr<const N: usize>(&mut self) -> Result<[u8; N], Rejected> {
        let mut b = [0u8; N];
        self.bytes(&mut b)?;
        Ok(b)
    }

    fn u64(&mut self) -> Result<u64, Rejected> {
        self.arr().map(u64::from_le_bytes)
    }

    fn section<T, const N: usize>(
        &mut self,
        dec: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<T>, Rejected> {
        let n = self.u64()?;
        if n.saturating_mul(N as u64) > self.left {
            return Err(Rejected::Truncated);
        }
        let n = usize::try_from(n).map_err(|_| Rejected::Truncated)?;
        let mut v = Vec::with_capacity(n);
        let mut buf = vec![0u8; CHUNK * N];
        let mut done = 0;
        while done < n {
            let k = (n - done).min(CHUNK);
            let b = &mut buf[..k * N];
            self.bytes(b)?;
            for c in b.chunks_exact(N) {
                let mut w = [0u8; N];
                w.copy_from_slice(c);
                v.push(dec(w));
            }
            done += k;
        }
        Ok(v)
    }

    fn byte_section(&mut self) -> Result<Vec<u8>, Rejected> {
        let n = self.u64()?;
        if n > self.left {
            return Err(Rejected::Truncated);
        }
        let mut v = vec![0u8; usize::try_from(n).map_err(|_| Rejected::Truncated)?];
        self.bytes(&mut v)?;
        Ok(v)
    }
}

/// Reads the snapshot of the database at `db` if it belongs to `expect`'s
/// database and is at most at revision `expect.rev` (the database's now).
/// Returns the index and the revision it is current to: changes after it
/// are the caller's to apply.
pub fn read(db: &Path, expect: &Meta) -> Result<(Index, i64), Rejected> {
    let path = path_for(db);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Rejected::Missing),
        Err(e) => return Err(Rejected::Unreadable(e.to_string())),
    };
    let len = file
        .metadata()
        .map_err(|e| Rejected::Unreadable(e.to_string()))?
        .len();
    if len < HEADER + 8 {
        // Too short even for a header: say why in its own words.
        let mut head = Vec::new();
        let _ = file.take(8).read_to_end(&mut head);
        return Err(if MAGIC.starts_with(&head) {
            Rejected::Truncated
        } else {
            Rejected::NotASnapshot
        });
    }
    let mut inp = In {
        r: BufReader::with_capacity(1 << 20, file),
        h: Xxh3::new(),
        left: len - 8,
    };
    if &inp.arr::<8>()? != MAGIC {
        return Err(Rejected::NotASnapshot);
    }
    let format = u32::from_le_bytes(inp.arr()?);
    if format < FORMAT {
        return Err(Rejected::OlderFormat(format));
    }
    if format > FORMAT {
        return Err(Rejected::NewerFormat(format));
    }
    if inp.u64()? != encoder_fingerprint() {
        return Err(Rejected::OtherEncoding);
    }
    let app_id = i64::from_le_bytes(inp.arr()?);
    let db_id: [u8; 16] = inp.arr()?;
    if app_id != expect.app_id || db_id != expect.db_id {
        return Err(Rejected::Foreign);
    }
    let rev = i64::from_le_bytes(inp.arr()?);
    if rev > expect.rev {
        return Err(Rejected::Ahead {
            snapshot: rev,
            database: expect.rev,
        });
    }
    let slots = inp.u64()?;
    let idx = read_body(&mut inp, slots)?;
    if inp.left != 0 {
        return Err(Rejected::Malformed("bytes after the last section"));
    }
    let sum = inp.h.digest();
    let mut trailer = [0u8; 8];
    inp.r.read_exact(&mut trailer).map_err(io_reject)?;
    if u64::from_le_bytes(trailer) != sum {
        return Err(Rejected::Checksum);
    }
    let idx = check(idx)?;
    Ok((idx, rev))
}

fn read_body<R: Read>(inp: &mut In<R>, slots: u64) -> Result<(Store, Sorted, u64), Rejected> {
    let mut st = Store::default();
    let mut arena = || -> Result<Arena, Rejected> {
        let bytes = inp.byte_section()?;
        let base = inp.section(u32::from_le_bytes)?;
        let rel = inp.section(u16::from_le_bytes)?;
        Ok(Arena {
            bytes,
            off: Offsets { base, rel },
        })
    };
    for a in st.arenas.iter_mut() {
        *a = arena()?;
    }
    let names = arena()?;
    st.orig = Originals {
        names,
        slots: inp.section(u32::from_le_bytes)?,
    };
    st.ids = match inp.arr::<1>()? {
        [4] => Ids::Narrow(inp.section(u32::from_le_bytes)?),
        [8] => Ids::Wide(inp.section(i64::from_le_bytes)?),
        _ => return Err(Rejected::Malformed("ids")),
    };
    st.last_contact = inp.section(u32::from_le_bytes)?;
    st.flags = inp.byte_section()?;
    st.masks = inp.section(|w: [u8; 6]| {
        let u = |i: usize| u16::from_le_bytes([w[i], w[i + 1]]);
        [u(0), u(2), u(4)]
    })?;
    let upto = inp.u64()?;
    let count = inp.u64()?;
    if count > 64 {
        return Err(Rejected::Malformed("prefix lists"));
    }
    let mut lists = Vec::new();
    for _ in 0..count {
        let arena = inp.u64()?;
        let [tag, packed] = inp.arr::<2>()?;
        let slots = inp.section(u32::from_le_bytes)?;
        let nth = inp.byte_section()?;
        let identity = inp.u64()?;
        lists.push(List {
            arena: usize::try_from(arena).unwrap_or(usize::MAX),
            tag,
            slots,
            nth,
            identity: usize::try_from(identity).unwrap_or(usize::MAX),
            packed: match packed {
                0 => false,
                1 => true,
                _ => return Err(Rejected::Malformed("prefix lists")),
            },
        });
    }
    let sorted = Sorted {
        upto: usize::try_from(upto).unwrap_or(usize::MAX),
        lists,
    };
    Ok((st, sorted, slots))
}

/// Checks every length, offset and slot number before the index is used.
fn check((st, sorted, slots): (Store, Sorted, u64)) -> Result<Index, Rejected> {
    let n = usize::try_from(slots).map_err(|_| Rejected::Malformed("slot count"))?;
    if n > u32::MAX as usize
        || st.ids.len() != n
        || st.last_contact.len() != n
        || st.flags.len() != n
        || st.masks.len() != n
    {
        return Err(Rejected::Malformed("per-customer arrays"));
    }
    for a in &st.arenas {
        if a.off.len() != n + 1 || !a.off.valid(a.bytes.len()) {
            return Err(Rejected::Malformed("record offsets"));
        }
    }
    let orig = &st.orig;
    if orig.names.off.len() != orig.slots.len() + 1
        || !orig.names.off.valid(orig.names.bytes.len())
        || orig.slots.windows(2).any(|w| w[0] >= w[1])
        || orig.slots.last().is_some_and(|&s| s as usize >= n)
    {
        return Err(Rejected::Malformed("original names"));
    }
    if sorted.upto > n {
        return Err(Rejected::Malformed("prefix lists"));
    }
    let kinds: Vec<(usize, u8)> = sorted.lists.iter().map(|l| (l.arena, l.tag)).collect();
    if kinds != LISTS {
        return Err(Rejected::Malformed("prefix lists"));
    }
    for l in &sorted.lists {
        if (!l.nth.is_empty() && (l.packed || l.nth.len() != l.slots.len()))
            || (0..l.slots.len()).any(|i| l.slot(i) as usize >= sorted.upto)
            || (l.identity > 0 && (!l.slots.is_empty() || !l.nth.is_empty() || l.packed))
            || l.identity > sorted.upto
        {
            return Err(Rejected::Malformed("prefix lists"));
        }
    }
    Ok(Index::from_parts(st, sorted))
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
