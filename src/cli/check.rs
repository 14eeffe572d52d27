//! `hotline check`.
use std::process::ExitCode;

use super::Cli;
use crate::error::Error;
use crate::store::{Db, settings};

pub fn run(cli: &Cli) -> Result<ExitCode, Error> {
    let mut db = cli.open()?;
    let problems = db.integrity_check()?;
    let ok = problems.len() == 1 && problems[0] == "ok";
    println!("database: {}", db.path().display());
    println!("integrity: {}", if ok { "ok" } else { "FAILED" });
    for p in problems.iter().filter(|p| *p != "ok") {
        println!("  {p}");
    }
    println!("schema version: {}", db.schema_version()?);
    let pairs = db.read(|tx| {
        settings::load(tx)?; // the settings in force must parse
        settings::pairs(tx)
    })?;
    println!("settings:");
    for (k, v) in pairs {
        println!("  {k} = {v}");
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A short count of what is in the database.
pub fn summary(db: &Db) -> Result<(), Error> {
    let n = crate::store::stats::counts(db.conn())?;
    println!("database: {}", db.path().display());
    println!("customers: {}", n.customers);
    println!("complaints: {} ({} open)", n.complaints, n.open_complaints);
    println!("callbacks pending: {}", n.pending_callbacks);
    println!("agents: {}", n.agents);
    Ok(())
}
