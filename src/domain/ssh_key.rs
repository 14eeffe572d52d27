//! SSH public keys as agents hand them in (one `authorized_keys` line) and
//! logins as the server accepts them (issue 9). Parsing is the `ssh-key`
//! crate's (RustCrypto); this module only says what we keep and refuse.
use ssh_key::{HashAlg, PublicKey};

/// A public key ready to store: the key decides who the agent is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentKey {
    /// `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …
    pub algorithm: String,
    /// The key's base64 body exactly as OpenSSH writes it.
    pub data: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub comment: String,
}

/// Reads one OpenSSH public key line (`ssh-ed25519 AAAA… comment`). A
/// private key, an empty line or anything that does not parse is refused
/// with what was wrong.
pub fn parse(line: &str) -> Result<AgentKey, String> {
    let line = line.trim();
    if line.is_empty() {
        return Err("no key given".into());
    }
    if line.contains("PRIVATE KEY") {
        return Err("this is a private key: give the .pub file".into());
    }
    let key = PublicKey::from_openssh(line).map_err(|e| format!("not an SSH public key ({e})"))?;
    let data = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Ok(AgentKey {
        algorithm: key.algorithm().as_str().to_string(),
        data,
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        comment: crate::text::for_display(key.comment())
            .chars()
            .take(100)
            .collect(),
    })
}

/// The fingerprint of a key given as algorithm and base64 body (what sshd
/// passes to an `AuthorizedKeysCommand` as `%t %k`).
pub fn fingerprint_of(algorithm: &str, data: &str) -> Result<String, String> {
    parse(&format!("{algorithm} {data}")).map(|k| k.fingerprint)
}

/// Logins are `[a-z0-9._-]+` (at most 32): they end up in SSH user names,
/// file names and `command="…"` lines, where nothing else is safe.
pub fn check_login(login: &str) -> Result<(), String> {
    let ok = !login.is_empty()
        && login.len() <= 32
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && !login.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?}: a login is 1 to 32 of a-z 0-9 . _ - (not starting with -)",
            crate::text::for_display(login)
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ED: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEcjczUaHbviZx2kRF0chHQ0oEwKEFs+mFiPcfRHxodQ wang@desk";

    #[test]
    fn an_ed25519_line_parses_with_its_sha256_fingerprint() {
        let k = parse(ED).unwrap();
        assert_eq!(k.algorithm, "ssh-ed25519");
        // What `ssh-keygen -lf` prints for this key.
        assert_eq!(
            k.fingerprint,
            "SHA256:QicSgFgFAyXgkMCq3ms8cygpRx1ZwiyJn5HpWifnzR4"
        );
        assert_eq!(k.comment, "wang@desk");
        assert_eq!(
            fingerprint_of(&k.algorithm, &k.data).unwrap(),
            k.fingerprint
        );
    }

    #[test]
    fn garbage_private_keys_and_truncated_keys_are_refused() {
        assert!(parse("").is_err());
        assert!(parse("hello world").is_err());
        assert!(
            parse("-----BEGIN OPENSSH PRIVATE KEY-----")
                .unwrap_err()
                .contains("private")
        );
        assert!(parse(&ED[..40]).is_err());
    }

    #[test]
    fn logins_are_lowercase_ascii_words() {
        for ok in ["wang.fang", "a1", "li_wei-2"] {
            assert!(check_login(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Wang",
            "王芳",
            "a b",
            "-x",
            "a\"b",
            "a;rm",
            &"x".repeat(33),
        ] {
            assert!(check_login(bad).is_err(), "{bad}");
        }
    }
}
