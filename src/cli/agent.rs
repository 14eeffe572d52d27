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
use crate::store::{agents, audit};

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
        Op::Add { login, name, role } => {
            let role: Role = role.parse().map_err(|e| Error::invalid("--role", e))?;
            let me = super::whoami_for(&mut db, cli, needed(role == Role::Admin))?;
            db.write(|c| {
                let id = agents::create(c, login, name, role, now)?;
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
        }
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
