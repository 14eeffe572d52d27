//! `hotline auto-close` (R22): for cron; the TUI also runs it.
use std::process::ExitCode;

use super::Cli;
use crate::error::Result;
use crate::store::complaints;

pub fn run(cli: &Cli) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let now = crate::clock::now().timestamp();
    let ids = db.write_with_settings(|c, s| complaints::auto_close(c, s, now))?;
    super::out::Out::stdout().line(&format!("{} complaints closed", ids.len()))?;
    Ok(ExitCode::SUCCESS)
}
