//! `hotline scripts export|import` (R16): supervisors maintain the wording.
use std::path::PathBuf;
use std::process::ExitCode;

use super::Cli;
use crate::domain::access::Permission;
use crate::domain::script_file;
use crate::error::{Error, Result};
use crate::store::scripts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub op: Op,
}

#[derive(clap::Subcommand, Debug)]
pub enum Op {
    /// Print every script as TOML (redirect to a file to edit it)
    Export,
    /// Check a scripts file and load it; nothing changes if any entry is wrong
    Import {
        /// The TOML file written by `export` and edited
        file: PathBuf,
    },
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let mut out = super::out::Out::stdout();
    match &a.op {
        Op::Export => {
            let defs = db.read(|c| scripts::all(c))?;
            out.text(&script_file::write(&defs))?;
            Ok(ExitCode::SUCCESS)
        }
        Op::Import { file } => {
            // R16: supervisors maintain the scripts; agents cannot edit them.
            let _me = super::whoami_for(&mut db, cli, Permission::EditScripts)?;
            let text = std::fs::read_to_string(file)
                .map_err(|e| Error::Database(format!("cannot read {}: {e}", file.display())))?;
            let defs = script_file::parse(&text, &file.display().to_string())
                .map_err(|e| Error::Database(format!("nothing was imported:\n{e}")))?;
            let now = crate::clock::now().timestamp();
            let changed = db.write(|c| scripts::import(c, &defs, now))?;
            out.line(&format!(
                "{} scripts checked, {changed} texts changed",
                defs.len()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
