//! `hotline claim`: take complaints from the command line (R7), through the
//! same atomic `store::complaints::claim` the TUI's claim key uses. With
//! `-` the numbers are read from stdin, one per line, each claimed as soon
//! as its line arrives (for scripts and dialers that route calls).
use std::io::BufRead;
use std::process::ExitCode;

use super::Cli;
use super::out::{Out, warn};
use crate::domain::access::Permission;
use crate::error::{Error, Result};
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
    let me = super::whoami_for(&mut db, cli, Permission::Claim)?;
    let mut taken = false;
    let mut out = Out::stdout();
    let mut one = |number: &str, out: &mut Out| -> Result<()> {
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
                out.line(&format!("claimed {number}"))?;
                out.flush()?;
                Ok(())
            }
            Err(Error::Conflict { by }) => {
                warn(&format!("hotline: {number} already taken by {by}"));
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
