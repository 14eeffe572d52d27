//! `hotline settings`: every number a rule gives is a setting (SPEC); the
//! administrator changes them here, checked before anything is stored.
use std::process::ExitCode;

use super::Cli;
use crate::domain::access::Permission;
use crate::error::Result;
use crate::store::{audit, settings};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub op: Op,
}

#[derive(clap::Subcommand, Debug)]
pub enum Op {
    /// Print every setting in force
    List,
    /// Change one setting (admin), e.g. `settings set calendar.holidays 2026-10-01,2026-10-02`
    Set { key: String, value: String },
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let mut out = super::out::Out::stdout();
    match &a.op {
        Op::List => {
            for (k, v) in db.read(|c| settings::pairs(c))? {
                out.line(&format!("{k} = {}", crate::text::for_display(&v)))?;
            }
        }
        Op::Set { key, value } => {
            let me = super::whoami_for(&mut db, cli, Permission::ChangeSettings)?;
            let value = crate::text::clean_line(key, value, 4000)?;
            let now = crate::clock::now().timestamp();
            db.write(|c| {
                let old = settings::pairs(c)?
                    .into_iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v);
                settings::set(c, key, &value)?;
                let detail = format!("{key}: {} -> {value}", old.unwrap_or_default());
                let entry = audit::Entry {
                    agent_id: Some(me.id),
                    agent_login: &me.login,
                    action: "setting_changed",
                    entity: "settings",
                    entity_id: None,
                    purpose: "",
                    detail: &detail,
                };
                audit::append(c, &entry, now)
            })?;
            out.line(&format!("{key} = {value}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
