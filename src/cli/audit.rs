//! `hotline audit --customer ID`: who opened a customer record, when, and
//! for what (R31). Supervisors and up.
use std::process::ExitCode;

use super::Cli;
use crate::domain::access::Permission;
use crate::error::{Error, Result};
use crate::store::{archive, settings};
use crate::text::{for_display, pad_to_width};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The customer's id (as `hotline search` prints it) or the customer
    /// code shown on screen
    #[arg(long, value_name = "ID|CODE")]
    pub customer: String,
    /// JSON lines instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    at: String,
    login: &'a str,
    name: &'a str,
    /// "complaint" (the complaint number in `purpose`) or "reason".
    kind: &'a str,
    purpose: &'a str,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let mut out = super::out::Out::stdout();
    // R31: supervisors and up list who viewed a record.
    super::whoami_for(&mut db, cli, Permission::ReadAudit)?;
    let (views, tz) = db.read(|c| {
        let wanted = a.customer.trim();
        // A code wins over an id that happens to look the same.
        let id = match crate::store::customers::find_by_code(c, wanted)? {
            Some(id) => Some(id),
            None => match wanted.parse::<i64>() {
                Ok(id) if archive::exists(c, id)? => Some(id),
                _ => None,
            },
        };
        let Some(id) = id else {
            return Err(Error::NotFound(format!("customer {}", for_display(wanted))));
        };
        Ok((archive::views(c, id)?, settings::load(c)?.calendar.tz))
    })?;
    for v in &views {
        let at = chrono::DateTime::from_timestamp(v.at, 0)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        if a.json {
            let o = Out {
                at,
                login: &v.login,
                name: &v.name,
                kind: &v.kind,
                purpose: &v.purpose,
            };
            let line = serde_json::to_string(&o).map_err(|e| Error::Database(e.to_string()))?;
            out.line(&line)?;
        } else {
            out.line(&format!(
                "{at}  {}  {}  {}: {}",
                pad_to_width(&for_display(&v.login), 12),
                pad_to_width(&for_display(&v.name), 10),
                v.kind,
                for_display(&v.purpose)
            ))?;
        }
    }
    if views.is_empty() && !a.json {
        super::out::warn(&format!("nobody has opened customer {} yet", a.customer));
    }
    Ok(ExitCode::SUCCESS)
}
