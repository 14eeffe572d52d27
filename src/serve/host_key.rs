//! The built-in SSH server's host key (issue 9): created on the first
//! start beside the database (the service account's 0700 data directory),
//! mode 0600, and kept, so agents' `known_hosts` entries stay valid across
//! restarts and upgrades. A key file that exists but cannot be read is an
//! error, never silently replaced: a new host key would make every client
//! warn of a man in the middle.
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use russh::keys::{Algorithm, PrivateKey};

use crate::error::{Error, Result};

/// `<database directory>/ssh_host_ed25519_key`.
pub fn path_for(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("ssh_host_ed25519_key")
}

/// Loads the host key, creating it (0600) when there is none.
pub fn load_or_create(path: &Path) -> Result<PrivateKey> {
    let shown = path.display();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(Error::invalid(
                    "host key",
                    format!("{shown} is readable by others (mode {mode:o}); chmod 600 it"),
                ));
            }
            PrivateKey::from_openssh(&text).map_err(|e| {
                Error::invalid(
                    "host key",
                    format!("{shown} is not an OpenSSH private key ({e}); move it away to create a new one"),
                )
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(Error::invalid("host key", format!("{shown}: {e}"))),
    }
}

fn create(path: &Path) -> Result<PrivateKey> {
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| Error::invalid("host key", e.to_string()))?;
    let text = key
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .map_err(|e| Error::invalid("host key", e.to_string()))?;
    // 0600 before a byte is written: the umask covers the temporary file.
    use nix::sys::stat::{Mode, umask};
    let old = umask(Mode::from_bits_truncate(0o177));
    let r = crate::paths::write_atomic(path, text.as_bytes());
    umask(old);
    r.map_err(|e| Error::invalid("host key", format!("{}: {e}", path.display())))?;
    tracing::info!(path = %path.display(), "created the SSH host key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_key_is_created_once_0600_and_kept() {
        let d = tempfile::tempdir().unwrap();
        let p = path_for(&d.path().join("h.db"));
        let a = load_or_create(&p).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let b = load_or_create(&p).unwrap();
        assert_eq!(
            a.public_key(),
            b.public_key(),
            "the key is kept across starts"
        );
    }

    #[test]
    fn a_broken_or_open_host_key_is_refused_not_replaced() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ssh_host_ed25519_key");
        std::fs::write(&p, "garbage").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = load_or_create(&p).unwrap_err().to_string();
        assert!(e.contains("not an OpenSSH private key"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "garbage");
        load_or_create(&d.path().join("k2")).unwrap();
        let k2 = d.path().join("k2");
        std::fs::set_permissions(&k2, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load_or_create(&k2).unwrap_err().to_string();
        assert!(e.contains("readable by others"), "{e}");
    }
}
