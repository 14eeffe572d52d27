//! Where a report or export goes: a file given with `--out` (checked before
//! anything is computed, written whole through a temporary file and a
//! rename, so a failure leaves nothing behind), or standard output (a closed
//! pipe ends quietly).
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses an `--out` that cannot be written: the database or a file that
/// belongs to it (`paths::check_output`, issue 11), a missing directory, a
/// directory, a read-only file or directory.
pub fn check(out: &Path, db: &Path) -> Result<()> {
    crate::paths::check_output(out, db, &[])
        .map_err(|m| Error::invalid("--out", crate::text::for_display(&m).into_owned()))?;
    let p = out.display();
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let md = std::fs::metadata(&dir).map_err(|_| {
        Error::invalid(
            "--out",
            format!("{p}: directory {} does not exist", dir.display()),
        )
    })?;
    if !md.is_dir() {
        return Err(Error::invalid(
            "--out",
            format!("{p}: {} is not a directory", dir.display()),
        ));
    }
    if md.permissions().readonly() {
        return Err(Error::invalid(
            "--out",
            format!("{p}: directory {} is not writable", dir.display()),
        ));
    }
    if let Ok(md) = std::fs::metadata(out) {
        if md.is_dir() {
            return Err(Error::invalid("--out", format!("{p} is a directory")));
        }
        if md.permissions().readonly() {
            return Err(Error::invalid(
                "--out",
                format!("{p} is read-only; nothing was written"),
            ));
        }
    }
    Ok(())
}

/// Writes `content` to `out` whole, or to standard output.
pub fn write(out: Option<&Path>, db: &Path, content: &str) -> Result<()> {
    let Some(out) = out else {
        let mut so = std::io::stdout().lock();
        return match so.write_all(content.as_bytes()).and_then(|_| so.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.map_err(Error::from),
        };
    };
    check(out, db)?;
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let r = std::fs::write(&tmp, content).and_then(|_| std::fs::rename(&tmp, out));
    if let Err(e) = r {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::invalid(
            "--out",
            format!("{}: {e}; nothing was written", out.display()),
        ));
    }
    Ok(())
}
