//! `hotline init`: creates a database, or migrates an existing one. Only a
//! database with no agent yet gets a first admin (the OS user, or
//! `--agent`); on any other database init changes nobody's role, so
//! running it is no way to become an admin.
use std::process::ExitCode;

use super::Cli;
use super::out::Out;
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
    let admin = cli
        .agent
        .clone()
        .unwrap_or_else(|| crate::identity::os_user().login.clone());
    let now = crate::clock::now().timestamp();
    let first = db.write(|tx| init::defaults(tx, &tz, &admin, now))?;
    let what = if existed { "checked" } else { "created" };
    let who = if first {
        format!("first admin {admin}")
    } else {
        "agents unchanged".to_string()
    };
    Out::stdout().line(&format!(
        "{what} {} (schema version {}, {who})",
        path.display(),
        db.schema_version()?
    ))?;
    Ok(ExitCode::SUCCESS)
}
