//! `hotline claim`: take complaints from the command line (R7), through the
//! same atomic `store::complaints::claim` the TUI's claim key uses. With
//! `-` the numbers are read from stdin, one per line, each claimed as soon
//! as its line arrives (for scripts and dialers that route calls).
use std::io::{BufRead, Write};
use std::process::ExitCode;

use super::Cli;
use crate::error::{Error, Result};
use crate::store::agents;
use crate::store::complaints;

/// Exit status when a complaint was already taken by someone else.
pub const TAKEN: u8 = 4;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Complaint numbers (C20261122-0007), or - to read them from stdin
    #[arg(required = true, value_name = "NUMBER")]
    pub numbers: Vec<String>,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let login = cli.agent.clone().unwrap_or_else(crate::paths::os_user);
    let me = match db.read(|c| agents::by_login(c, &login)) {
        Ok(a) if a.active => a,
        Ok(_) => return Err(Error::Denied(format!("agent {login:?} is inactive"))),
        Err(Error::NotFound(_)) => {
            return Err(Error::Denied(format!(
                "no agent {login:?}; use --agent LOGIN"
            )));
        }
        Err(e) => return Err(e),
    };
    let mut taken = false;
    let mut out = std::io::stdout().lock();
    let mut one = |number: &str, out: &mut dyn Write| -> Result<()> {
        let number = number.trim();
        if number.is_empty() {
            return Ok(());
        }
        let now = crate::clock::now().timestamp();
        let r = db.write(|c| {
            let id = complaints::id_by_number(c, number)?;
            complaints::claim(c, id, me.id, now)
        });
        match r {
            Ok(()) => {
                writeln!(out, "claimed {number}")?;
                out.flush()?;
                Ok(())
            }
            Err(Error::Conflict { by }) => {
                eprintln!("hotline: {number} already taken by {by}");
                taken = true;
                Ok(())
            }
            Err(e) => Err(e),
        }
    };
    for n in &a.numbers {
        if n == "-" {
            for line in std::io::stdin().lock().lines() {
                one(&line?, &mut out)?;
            }
        } else {
            one(n, &mut out)?;
        }
    }
    Ok(if taken {
        ExitCode::from(TAKEN)
    } else {
        ExitCode::SUCCESS
    })
}
