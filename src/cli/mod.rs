//! The command line (clap). `hotline` with no subcommand opens the TUI.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::store::{Db, OpenMode};

mod agent;
mod audit;
mod autoclose;
mod check;
mod claim;
mod import;
mod init;
mod intake;
mod output;
mod report;
mod scripts;
mod search;
mod seed;
mod settings;

#[derive(Parser, Debug)]
#[command(
    name = "hotline",
    version,
    about = "Complaint hotline and call-center desk for the terminal"
)]
pub struct Cli {
    /// Database file [default: $HOTLINE_DB, else the XDG data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Agent login [default: the OS user]
    #[arg(long, global = true, value_name = "LOGIN")]
    pub agent: Option<String>,
    /// Interface language: zh or en [default: from LANG]
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Keymap: default, vim, or a path to a TOML file
    #[arg(long, global = true, value_name = "NAME")]
    pub keymap: Option<String>,
    /// Open a demo database with realistic data (created on first use)
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a database with defaults and register the OS user as admin
    Init(init::Args),
    /// Fill the database with realistic demo data (deterministic per seed)
    SeedDemo(seed::Args),
    /// Register complaints from JSON on stdin (one object, or JSON lines)
    Intake(intake::Args),
    /// Check database integrity; print the schema version and settings
    Check,
    /// Export or import the standard scripts (supervisors)
    Scripts(scripts::Args),
    /// Close resolved complaints that need no callback after the quiet period (R22)
    AutoClose,
    /// List, add, or hand over agents (R33)
    Agent(agent::Args),
    /// List or change settings: calendar, SLA targets, callback rules (admin)
    Settings(settings::Args),
    /// Claim complaints for --agent (R7); exits 4 if one was already taken
    Claim(claim::Args),
    /// Search customers with the TUI's engine, as --agent may see them (R30)
    Search(search::Args),
    /// Who opened a customer record, when and why (R31; supervisors and up)
    Audit(audit::Args),
    /// Import customers from a CSV file (UTF-8 or GB18030; supervisors and up)
    Import(import::Args),
    /// The monthly report (R28) or the year-end open list (R29; supervisors and up)
    Report(report::Args),
    /// Export major complaints with their history as a separate file (R32)
    Export(report::ExportArgs),
    /// Open the TUI straight on the live wallboard (supervisors and up)
    Wallboard,
}

impl Cli {
    pub fn db_path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(crate::paths::default_db)
    }

    pub fn tui_options(&self, db: PathBuf, default_agent: Option<&str>) -> crate::ui::Options {
        crate::ui::Options {
            db,
            agent: self.agent.clone().or(default_agent.map(str::to_string)),
            lang: self.lang.clone(),
            keymap: self.keymap.clone(),
            wallboard: false,
        }
    }

    pub fn open(&self) -> Result<Db, Error> {
        Db::open(&self.db_path(), OpenMode::Existing)
    }
}

/// The agent running this command: `--agent`, else the OS user.
pub fn whoami(db: &mut Db, cli: &Cli) -> Result<crate::store::agents::Agent, Error> {
    let login = cli.agent.clone().unwrap_or_else(crate::paths::os_user);
    match db.read(|c| crate::store::agents::by_login(c, &login)) {
        Ok(a) if a.active => Ok(a),
        Ok(_) => Err(Error::Denied(format!("agent {login:?} is inactive"))),
        Err(Error::NotFound(_)) => Err(Error::Denied(format!(
            "no agent {login:?} in this database; use --agent LOGIN"
        ))),
        Err(e) => Err(e),
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hotline: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match &cli.command {
        Some(Command::Init(a)) => init::run(&cli, a),
        Some(Command::SeedDemo(a)) => seed::run(&cli, a),
        Some(Command::Intake(a)) => intake::run(&cli, a),
        Some(Command::Check) => check::run(&cli),
        Some(Command::Scripts(a)) => scripts::run(&cli, a),
        Some(Command::AutoClose) => autoclose::run(&cli),
        Some(Command::Agent(a)) => agent::run(&cli, a),
        Some(Command::Settings(a)) => settings::run(&cli, a),
        Some(Command::Claim(a)) => claim::run(&cli, a),
        Some(Command::Search(a)) => search::run(&cli, a),
        Some(Command::Audit(a)) => audit::run(&cli, a),
        Some(Command::Import(a)) => import::run(&cli, a),
        Some(Command::Report(a)) => report::run(&cli, a),
        Some(Command::Export(a)) => report::export(&cli, a),
        Some(Command::Wallboard) => {
            let mut o = cli.tui_options(cli.db_path(), None);
            o.wallboard = true;
            crate::ui::run(o)
        }
        None if cli.demo => seed::demo(&cli),
        None => crate::ui::run(cli.tui_options(cli.db_path(), None)),
    }
}
