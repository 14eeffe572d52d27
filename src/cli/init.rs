//! `hotline init`.
use std::process::ExitCode;

use super::Cli;
use crate::error::Error;
use crate::store::{Db, OpenMode, init};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Center time zone (IANA name) [default: the server's zone]
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode, Error> {
    let path = cli.db_path();
    let tz = a
        .timezone
        .clone()
        .unwrap_or_else(crate::paths::server_timezone);
    if tz.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::invalid(
            "--timezone",
            format!("{tz:?} is not an IANA time zone name"),
        ));
    }
    let existed = path.exists();
    let mut db = Db::open(&path, OpenMode::Create)?;
    let admin = cli.agent.clone().unwrap_or_else(crate::paths::os_user);
    let now = crate::clock::now().timestamp();
    db.write(|tx| init::defaults(tx, &tz, &admin, now))?;
    let what = if existed { "checked" } else { "created" };
    println!(
        "{what} {} (schema version {}, admin {admin})",
        path.display(),
        db.schema_version()?
    );
    Ok(ExitCode::SUCCESS)
}
