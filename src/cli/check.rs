//! `hotline check`.
use std::process::ExitCode;

use super::Cli;
use super::out::Out;
use crate::error::Error;
use crate::store::{Db, settings};

pub fn run(cli: &Cli) -> Result<ExitCode, Error> {
    let mut db = cli.open()?;
    let mut out = Out::stdout();
    let problems = db.integrity_check()?;
    let ok = problems.len() == 1 && problems[0] == "ok";
    out.line(&format!("database: {}", db.path().display()))?;
    out.line(&format!("integrity: {}", if ok { "ok" } else { "FAILED" }))?;
    for p in problems.iter().filter(|p| *p != "ok") {
        out.line(&format!("  {p}"))?;
    }
    out.line(&format!("schema version: {}", db.schema_version()?))?;
    let pairs = db.read(|tx| {
        settings::load(tx)?; // the settings in force must parse
        settings::pairs(tx)
    })?;
    out.line("settings:")?;
    for (k, v) in pairs {
        out.line(&format!("  {k} = {v}"))?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A short count of what is in the database.
pub fn summary(db: &Db, out: &mut Out) -> Result<(), Error> {
    let n = crate::store::stats::counts(db.conn())?;
    out.line(&format!("database: {}", db.path().display()))?;
    out.line(&format!("customers: {}", n.customers))?;
    out.line(&format!(
        "complaints: {} ({} open)",
        n.complaints, n.open_complaints
    ))?;
    out.line(&format!("callbacks pending: {}", n.pending_callbacks))?;
    out.line(&format!("agents: {}", n.agents))?;
    Ok(())
}
