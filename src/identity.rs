//! Who is running this process: the OS account behind the real uid, read
//! from the passwd entry, never from `$USER` or `$LOGNAME` (anyone can set
//! those). The agent a command acts as is that account's login, unless
//! `--agent OTHER` is given and allowed ([`resolve`]).
use std::path::Path;
use std::sync::OnceLock;

use crate::domain::access::{self, Permission};
use crate::error::{Error, Result};
use crate::store::Db;
use crate::store::agents::{self, Agent};

/// The OS account of the real uid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsUser {
    pub uid: u32,
    pub login: String,
}

/// The calling account, looked up once per process. A uid without a passwd
/// entry (containers) is named `uid<N>`, which no agent login matches by
/// accident.
pub fn os_user() -> &'static OsUser {
    static ME: OnceLock<OsUser> = OnceLock::new();
    ME.get_or_init(|| {
        let uid = nix::unistd::getuid();
        let login = match nix::unistd::User::from_uid(uid) {
            Ok(Some(u)) if !u.name.trim().is_empty() => u.name,
            _ => format!("uid{}", uid.as_raw()),
        };
        OsUser {
            uid: uid.as_raw(),
            login,
        }
    })
}

/// Whether the calling account owns the file (the demo's and the tests'
/// own databases): such a caller could edit the file directly anyway, so
/// `--agent` is no escalation for them.
pub fn owns(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|m| m.uid() == os_user().uid)
}

fn active(db: &mut Db, login: &str) -> Result<Agent> {
    match db.read(|c| agents::by_login(c, login)) {
        Ok(a) if a.active => Ok(a),
        Ok(_) => Err(Error::Denied(format!(
            "agent {:?} is inactive; ask an administrator",
            crate::text::for_display(login)
        ))),
        Err(Error::NotFound(_)) => Err(Error::Denied(format!(
            "no agent {:?} in {}; ask an administrator to add you (`hotline agent add`), \
             or, as an admin or the file's owner, use --agent LOGIN",
            crate::text::for_display(login),
            db.path().display()
        ))),
        Err(e) => Err(e),
    }
}

/// The agent this process acts as: the OS account's, or `asked` when the
/// account is an admin of the database or owns the database file.
pub fn resolve(db: &mut Db, asked: Option<&str>) -> Result<Agent> {
    let me = os_user();
    let other = match asked {
        None => return active(db, &me.login),
        Some(a) if a == me.login => return active(db, &me.login),
        Some(a) => a,
    };
    if owns(db.path()) {
        return active(db, other);
    }
    let real = active(db, &me.login).map_err(|_| {
        Error::Denied(format!(
            "--agent {:?}: the OS user {} is no agent of {} and does not own it; {}",
            crate::text::for_display(other),
            me.login,
            db.path().display(),
            access::check(crate::domain::model::Role::Agent, Permission::ActAsOther)
                .err()
                .map(|r| r.to_string())
                .unwrap_or_default()
        ))
    })?;
    access::check(real.role, Permission::ActAsOther)
        .map_err(|r| Error::Denied(format!("{} ({}): {r}", real.login, real.role.code())))?;
    active(db, other)
}
