//! `hotline agent`: who may log in, with which role; R33 handover.
use std::process::ExitCode;

use super::Cli;
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
    /// Add an agent (manager or admin)
    Add {
        login: String,
        /// Display name, e.g. 王芳
        #[arg(long)]
        name: String,
        /// agent, supervisor, manager or admin
        #[arg(long, default_value = "agent")]
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

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let now = crate::clock::now().timestamp();
    match &a.op {
        Op::List => {
            for ag in db.read(|c| agents::list(c))? {
                println!(
                    "{:<16} {:<10} {:<8} {}",
                    crate::text::for_display(&ag.login),
                    ag.role.code(),
                    if ag.active { "active" } else { "inactive" },
                    crate::text::for_display(&ag.name)
                );
            }
        }
        Op::Add { login, name, role } => {
            let me = manager(&mut db, cli)?;
            let role: Role = role.parse().map_err(|e| Error::invalid("--role", e))?;
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
            println!("added {login} ({})", role.code());
        }
        Op::Leave { login, to } => {
            let me = manager(&mut db, cli)?;
            let (n, cb) = db.write(|c| {
                let from = agents::by_login(c, login)?;
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
            println!("{login} deactivated; {n} open complaints and {cb} callbacks handed to {to}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn manager(db: &mut crate::store::Db, cli: &Cli) -> Result<agents::Agent> {
    let me = super::whoami(db, cli)?;
    if me.role < Role::Manager {
        return Err(Error::Denied(format!(
            "{} may not manage agents (manager or admin only)",
            me.login
        )));
    }
    Ok(me)
}
