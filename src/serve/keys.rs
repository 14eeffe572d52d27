//! `hotline keys TYPE KEY`: sshd's `AuthorizedKeysCommand` for OpenSSH
//! mode (issue 9, Gitea's pattern). For the key of a registered, active
//! agent it prints one `authorized_keys` line whose forced command attaches
//! that agent to the running server; for anything else it prints nothing,
//! so sshd refuses the key. `restrict` turns off forwarding, X11 and the
//! agent; `pty` allows the terminal; the forced command ignores whatever
//! the client asked to run (`SSH_ORIGINAL_COMMAND` is never read).
use std::path::Path;

use crate::error::{Error, Result};
use crate::store::{Db, agent_keys, agents};

/// The `authorized_keys` line for this key, or `None` (with the reason
/// for the log) when sshd must refuse it.
pub fn line_for(
    db: &mut Db,
    exe: &Path,
    socket: &Path,
    algorithm: &str,
    data: &str,
) -> Result<std::result::Result<String, String>> {
    let Ok(fp) = crate::domain::ssh_key::fingerprint_of(algorithm, data) else {
        return Ok(Err("a key that does not parse".into()));
    };
    let Some(agent_id) = db.read(|c| agent_keys::agent_of(c, &fp))? else {
        return Ok(Err(format!("unknown key {fp}")));
    };
    let agent = db.read(|c| agents::by_id(c, agent_id))?;
    if !agent.active {
        return Ok(Err(format!("{fp}: agent {} is inactive", agent.login)));
    }
    // The login is [a-z0-9._-]; the paths are checked to need no quoting.
    crate::domain::ssh_key::check_login(&agent.login).map_err(|e| Error::invalid("login", e))?;
    let quoted = |p: &Path| {
        let s = p.to_string_lossy().into_owned();
        if s.contains(['"', '\\', '\n', ' ']) || s.chars().any(char::is_control) {
            Err(Error::invalid(
                "path",
                format!("{s:?} cannot be written into a forced command"),
            ))
        } else {
            Ok(s)
        }
    };
    let (exe, db_path, socket) = (quoted(exe)?, quoted(db.path())?, quoted(socket)?);
    Ok(Ok(format!(
        "restrict,pty,command=\"{exe} --db {db_path} attach --socket {socket} --agent {}\" {algorithm} {data}",
        agent.login
    )))
}
