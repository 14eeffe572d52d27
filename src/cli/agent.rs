//! `hotline agent`: who may log in, with which role; R33 handover. Who may
//! change what is decided by `domain::access`: managers add and hand over
//! agents below admin, only an admin makes or removes an admin, and the
//! store keeps the last active admin. Every change leaves an audit entry.
use std::process::ExitCode;

use super::Cli;
use super::out::Out;
use crate::domain::access::{self, Permission};
use crate::domain::model::Role;
use crate::error::{Error, Result};
use crate::store::{Db, agent_keys, agents, audit};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub op: Op,
}

#[derive(clap::Subcommand, Debug)]
pub enum Op {
    /// List agents
    List,
    /// Add an agent (manager or admin; an admin only by an admin)
    Add {
        login: String,
        /// Display name, e.g. 王芳
        #[arg(long)]
        name: String,
        /// agent, supervisor, manager or admin
        #[arg(long, default_value = "agent")]
        role: String,
        /// The agent's SSH public key, one `authorized_keys` line
        #[arg(long, value_name = "KEY", conflicts_with = "ssh_key_file")]
        ssh_key: Option<String>,
        /// A file holding the agent's SSH public key (`id_ed25519.pub`)
        #[arg(long, value_name = "FILE")]
        ssh_key_file: Option<std::path::PathBuf>,
    },
    /// An agent's SSH keys for `hotline serve` and `hotline keys` (manager or admin)
    Key {
        #[command(subcommand)]
        op: KeyOp,
    },
    /// Change an agent's role (manager or admin; to or from admin only by an admin)
    Role {
        login: String,
        /// agent, supervisor, manager or admin
        role: String,
    },
    /// An agent leaves: hand their open complaints and callbacks to another
    /// in one step and deactivate them (R33; manager or admin)
    Leave {
        login: String,
        /// Who takes over
        #[arg(long)]
        to: String,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum KeyOp {
    /// Add a key: the line itself, or --file with a .pub file
    Add {
        login: String,
        /// One `authorized_keys` line (`ssh-ed25519 AAAA… comment`)
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        key: Option<String>,
        #[arg(long, value_name = "FILE")]
        file: Option<std::path::PathBuf>,
    },
    /// List an agent's keys with their fingerprints
    List { login: String },
    /// Remove a key, by fingerprint (`SHA256:…`) or by its comment
    Remove { login: String, key: String },
}

/// Managing agents, and admins when `admin` is involved.
fn needed(admin: bool) -> Permission {
    if admin {
        Permission::ManageAdmins
    } else {
        Permission::ManageAgents
    }
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let mut out = Out::stdout();
    let now = crate::clock::now().timestamp();
    match &a.op {
        Op::List => {
            for ag in db.read(|c| agents::list(c))? {
                out.line(&format!(
                    "{:<16} {:<10} {:<8} {}",
                    crate::text::for_display(&ag.login),
                    ag.role.code(),
                    if ag.active { "active" } else { "inactive" },
                    crate::text::for_display(&ag.name)
                ))?;
            }
        }
        Op::Add {
            login,
            name,
            role,
            ssh_key,
            ssh_key_file,
        } => {
            let role: Role = role.parse().map_err(|e| Error::invalid("--role", e))?;
            // The key is read and checked before anything is written.
            let key = read_key(ssh_key.as_deref(), ssh_key_file.as_deref())?;
            let me = super::whoami_for(&mut db, cli, needed(role == Role::Admin))?;
            db.write(|c| {
                let id = agents::create(c, login, name, role, now)?;
                if let Some(k) = &key {
                    agent_keys::add(c, id, k, now)?;
                }
                let entry = audit::Entry {
                    agent_id: Some(me.id),
                    agent_login: &me.login,
                    action: "agent_added",
                    entity: "agent",
                    entity_id: Some(id),
                    purpose: "",
                    detail: role.code(),
                };
                audit::append(c, &entry, now)
            })?;
            out.line(&format!("added {login} ({})", role.code()))?;
            if let Some(k) = key {
                out.line(&format!("key {} added", k.fingerprint))?;
            }
        }
        Op::Key { op } => key_op(cli, &mut db, &mut out, op, now)?,
        Op::Role { login, role } => {
            let role: Role = role.parse().map_err(|e| Error::invalid("role", e))?;
            let me = super::whoami(&mut db, cli)?;
            let from = db.write(|c| {
                let target = agents::by_login(c, login)?;
                let admin = role == Role::Admin || target.role == Role::Admin;
                access::require(&me.login, me.role, needed(admin))?;
                agents::set_role(c, target.id, role)?;
                let detail = format!("{} -> {}", target.role.code(), role.code());
                let entry = audit::Entry {
                    agent_id: Some(me.id),
                    agent_login: &me.login,
                    action: "agent_role_changed",
                    entity: "agent",
                    entity_id: Some(target.id),
                    purpose: "",
                    detail: &detail,
                };
                audit::append(c, &entry, now)?;
                Ok(target.role)
            })?;
            out.line(&format!("{login}: {} -> {}", from.code(), role.code()))?;
        }
        Op::Leave { login, to } => {
            let me = super::whoami_for(&mut db, cli, Permission::ManageAgents)?;
            let (n, cb) = db.write(|c| {
                let from = agents::by_login(c, login)?;
                access::require(&me.login, me.role, needed(from.role == Role::Admin))?;
                let to = agents::by_login(c, to)?;
                let moved = agents::hand_over(c, from.id, to.id, Some(me.id), now)?;
                let entry = audit::Entry {
                    agent_id: Some(me.id),
                    agent_login: &me.login,
                    action: "agent_left",
                    entity: "agent",
                    entity_id: Some(from.id),
                    purpose: "R33 handover",
                    detail: &to.login,
                };
                audit::append(c, &entry, now)?;
                Ok(moved)
            })?;
            out.line(&format!(
                "{login} deactivated; {n} open complaints and {cb} callbacks handed to {to}"
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The key from `--ssh-key` or `--ssh-key-file`, parsed (issue 9).
fn read_key(
    line: Option<&str>,
    file: Option<&std::path::Path>,
) -> Result<Option<crate::domain::ssh_key::AgentKey>> {
    let (text, what) = match (line, file) {
        (Some(l), _) => (l.to_string(), "--ssh-key".to_string()),
        (None, Some(f)) => {
            let text = std::fs::read_to_string(f)
                .map_err(|e| Error::invalid("--ssh-key-file", format!("{}: {e}", f.display())))?;
            (text, format!("{}", f.display()))
        }
        (None, None) => return Ok(None),
    };
    crate::domain::ssh_key::parse(&text)
        .map(Some)
        .map_err(|e| Error::invalid(what, e))
}

fn key_op(cli: &Cli, db: &mut Db, out: &mut Out, op: &KeyOp, now: i64) -> Result<()> {
    let me = super::whoami_for(db, cli, Permission::ManageAgents)?;
    let audit = |c: &rusqlite::Connection, action: &str, id: i64, detail: &str| {
        let entry = audit::Entry {
            agent_id: Some(me.id),
            agent_login: &me.login,
            action,
            entity: "agent",
            entity_id: Some(id),
            purpose: "",
            detail,
        };
        audit::append(c, &entry, now)
    };
    match op {
        KeyOp::Add { login, key, file } => {
            let key = read_key(key.as_deref(), file.as_deref())?
                .ok_or_else(|| Error::invalid("key", "give the key or --file"))?;
            db.write(|c| {
                let target = agents::by_login(c, login)?;
                access::require(&me.login, me.role, needed(target.role == Role::Admin))?;
                agent_keys::add(c, target.id, &key, now)?;
                audit(c, "agent_key_added", target.id, &key.fingerprint)
            })?;
            out.line(&format!("{login}: key {} added", key.fingerprint))?;
        }
        KeyOp::List { login } => {
            let keys = db.read(|c| {
                let target = agents::by_login(c, login)?;
                agent_keys::list(c, target.id)
            })?;
            for k in keys {
                out.line(&format!(
                    "{} {} {}",
                    k.key.fingerprint,
                    k.key.algorithm,
                    crate::text::for_display(&k.key.comment)
                ))?;
            }
        }
        KeyOp::Remove { login, key } => {
            let gone = db.write(|c| {
                let target = agents::by_login(c, login)?;
                access::require(&me.login, me.role, needed(target.role == Role::Admin))?;
                let gone = agent_keys::remove(c, target.id, key)?;
                audit(c, "agent_key_removed", target.id, &gone)?;
                Ok(gone)
            })?;
            out.line(&format!("{login}: key {gone} removed"))?;
        }
    }
    Ok(())
}
