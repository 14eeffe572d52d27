//! Where files live: `--db`, else `$HOTLINE_DB`, else the XDG data directory.
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "hotline")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".hotline"))
}

pub fn default_db() -> PathBuf {
    match std::env::var_os("HOTLINE_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => data_dir().join("hotline.db"),
    }
}

pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hotline").map(|d| d.config_dir().to_path_buf())
}

/// The server's IANA time zone, the default for `calendar.timezone` (R13).
pub fn server_timezone() -> String {
    if let Ok(tz) = std::env::var("TZ")
        && tz.parse::<chrono_tz::Tz>().is_ok()
    {
        return tz;
    }
    if let Ok(link) = std::fs::read_link("/etc/localtime") {
        let s = link.to_string_lossy();
        if let Some(i) = s.find("zoneinfo/") {
            let name = &s[i + "zoneinfo/".len()..];
            if name.parse::<chrono_tz::Tz>().is_ok() {
                return name.to_string();
            }
        }
    }
    if let Ok(s) = std::fs::read_to_string("/etc/timezone")
        && s.trim().parse::<chrono_tz::Tz>().is_ok()
    {
        return s.trim().to_string();
    }
    "UTC".to_string()
}

/// The canonical place `p` names: symlinks followed; for a file that does
/// not exist yet, its directory's canonical path and its name.
fn resolved(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    if std::fs::symlink_metadata(p).is_ok() {
        return None; // a dangling symlink: where it leads is not knowable
    }
    let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = match dir {
        Some(d) => std::fs::canonicalize(d).ok()?,
        None => std::env::current_dir().ok()?,
    };
    Some(dir.join(p.file_name()?))
}

/// Refuses an output path (`--rejects`, `--out`) that is, or leads by a
/// symlink to, the database, its `-wal` or `-shm`, or one of the inputs:
/// writing there would destroy what the command reads.
pub fn check_output(out: &Path, db: &Path, inputs: &[&Path]) -> Result<(), String> {
    let shown = out.display();
    let Some(target) = resolved(out) else {
        if std::fs::symlink_metadata(out).is_ok() {
            return Err(format!(
                "{shown}: a symlink that leads nowhere; give another path"
            ));
        }
        // Its directory is missing: then it is none of the database's files,
        // and writing it fails with that reason.
        return Ok(());
    };
    if target.is_dir() {
        return Err(format!("{shown} is a directory"));
    }
    let mut protected: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(d) = resolved(db) {
        let s = d.as_os_str().to_os_string();
        let with = |suffix: &str| {
            let mut s = s.clone();
            s.push(suffix);
            PathBuf::from(s)
        };
        protected.push((with("-wal"), "the database's WAL file"));
        protected.push((with("-shm"), "the database's shared-memory file"));
        protected.push((with("-writers"), "the database's writers' queue file"));
        protected.push((
            with("-search-index"),
            "the database's search index snapshot",
        ));
        for (suffix, what) in [
            (".presence", "the agents' presence file"),
            (".presence-wal", "the presence file's WAL"),
            (".presence-shm", "the presence file's shared memory"),
            ("-journal", "the database's journal"),
        ] {
            protected.push((with(suffix), what));
        }
        protected.push((d, "the database"));
    }
    for i in inputs {
        if let Some(r) = resolved(i) {
            protected.push((r, "the input file"));
        }
    }
    match protected.iter().find(|(p, _)| *p == target) {
        Some((_, what)) => Err(format!(
            "{shown} is {what}; writing there would destroy it. Give another path"
        )),
        None => Ok(()),
    }
}

/// Writes `bytes` to a temporary file next to `path`, syncs it and renames
/// it over `path`, so a reader never sees half a file and a failure
/// leaves what was there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let r = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_never_overwrite_the_database_or_the_input() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("h.db");
        let input = d.path().join("in.csv");
        std::fs::write(&db, b"x").unwrap();
        std::fs::write(&input, b"x").unwrap();
        let link = d.path().join("link.csv");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let wal_link = d.path().join("wal.csv");
        std::os::unix::fs::symlink(d.path().join("h.db-wal"), &wal_link).unwrap();
        for (p, what) in [
            (db.clone(), "the database"),
            (d.path().join("h.db-wal"), "WAL"),
            (d.path().join("h.db-shm"), "shared-memory"),
            (input.clone(), "the input"),
            (link, "the database"),
            (d.path().join(".").join("h.db"), "the database"),
        ] {
            let e = check_output(&p, &db, &[&input]).unwrap_err();
            assert!(e.contains(what), "{p:?}: {e}");
        }
        assert!(check_output(&wal_link, &db, &[&input]).is_err());
        assert!(check_output(&d.path().join("r.csv"), &db, &[&input]).is_ok());
    }

    #[test]
    fn atomic_write_replaces_whole() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
