//! `hotline backup --out FILE`: a consistent copy of the live database while
//! sessions keep writing (admin: the copy holds every confidential record).
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Cli;
use crate::domain::access::Permission;
use crate::error::{Error, Result};
use crate::store::{audit, backup};
use crate::text::for_display;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where the copy goes (a new file; its directory must exist)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace FILE if it exists (e.g. a nightly backup under one name)
    #[arg(long)]
    pub force: bool,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let me = super::whoami_for(&mut db, cli, Permission::Backup)?;
    let out = checked_out(db.path(), &a.out, a.force)?;
    let tmp = temp_beside(&out);
    // A temp file left by a killed backup would make VACUUM INTO refuse.
    let _ = std::fs::remove_file(&tmp);
    let copied =
        match backup::vacuum_into(db.conn(), &tmp).and_then(|c| finish(&tmp, &out).map(|_| c)) {
            Ok(c) => c,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
    let now = crate::clock::now().timestamp();
    let detail = format!(
        "{} complaints, {} customers",
        copied.complaints, copied.customers
    );
    let shown = out.display().to_string();
    db.write(|c| {
        audit::append(
            c,
            &audit::Entry {
                agent_id: Some(me.id),
                agent_login: &me.login,
                action: "backup_made",
                entity: "database",
                entity_id: None,
                purpose: &shown,
                detail: &detail,
            },
            now,
        )
    })?;
    println!(
        "{}: integrity ok, schema {}, {} complaints, {} customers",
        for_display(&shown),
        copied.schema_version,
        copied.complaints,
        copied.customers
    );
    Ok(ExitCode::SUCCESS)
}

/// The copy must never land on the database or its journal files (through
/// a symlink either), and never silently over another file.
fn checked_out(db: &Path, out: &Path, force: bool) -> Result<PathBuf> {
    let bad = |msg: String| {
        Error::invalid(
            "--out",
            format!("{}: {msg}", for_display(&out.display().to_string())),
        )
    };
    let name = out.file_name().ok_or_else(|| bad("names no file".into()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = parent
        .canonicalize()
        .map_err(|e| bad(format!("its directory cannot be used: {e}")))?;
    if !dir.is_dir() {
        return Err(bad("its directory is not a directory".into()));
    }
    let target = dir.join(name);
    let resolved = target.canonicalize().unwrap_or_else(|_| target.clone());
    // Never the database or a file of its own, by name or symlink (issue 11).
    crate::paths::check_output(&target, db, &[])
        .map_err(|m| Error::invalid("--out", for_display(&m).into_owned()))?;
    if std::fs::symlink_metadata(&target).is_ok() {
        if !force {
            return Err(bad(
                "exists; choose a new name or pass --force to replace it".into(),
            ));
        }
        if !resolved.is_file() {
            return Err(bad("exists and is not a regular file".into()));
        }
    }
    Ok(target)
}

fn temp_beside(out: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(out.file_name().unwrap_or_default());
    name.push(format!(".tmp-{}", std::process::id()));
    out.with_file_name(name)
}

/// On disk first, then in place: a crash leaves either the old file or the
/// whole new copy, never half of one.
fn finish(tmp: &Path, out: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::File::open(tmp)?.sync_all()?;
    std::fs::rename(tmp, out)?;
    if let Some(d) = out.parent().and_then(|dir| std::fs::File::open(dir).ok()) {
        // The rename is durable once the directory is; a failure here
        // leaves a complete copy in place, so it is not an error.
        let _ = d.sync_all();
    }
    Ok(())
}
