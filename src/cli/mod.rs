//! The command line (clap). `hotline` with no subcommand opens the TUI.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::store::{Db, OpenMode};

mod agent;
mod audit;
mod autoclose;
mod backup;
mod check;
mod claim;
mod completions;
mod import;
mod init;
mod intake;
mod lookup;
pub mod out;
mod output;
mod report;
mod scripts;
mod search;
mod seed;
mod serve;
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
    /// Act as this agent: only for an admin or the database file's owner [default: the OS user, from the real uid]
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
    /// The customers owning a phone number, their open complaints and due
    /// callbacks (for a PBX screen pop or an IVR; R30, R31)
    Lookup(lookup::Args),
    /// Who opened a customer record, when and why (R31; supervisors and up)
    Audit(audit::Args),
    /// Import customers from a CSV file (UTF-8 or GB18030; supervisors and up)
    Import(import::Args),
    /// A consistent copy of the live database while sessions keep writing (admin)
    Backup(backup::Args),
    /// Print a shell completion script (bash, zsh, fish, …)
    Completions(completions::CompletionArgs),
    /// Print the man page, or write every page into a directory
    Man(completions::ManArgs),
    /// The monthly report (R28) or the year-end open list (R29; supervisors and up)
    Report(report::Args),
    /// Export major complaints with their history as a separate file (R32)
    Export(report::ExportArgs),
    /// Open the TUI straight on the live wallboard (supervisors and up)
    Wallboard,
    /// Host every agent's session in one process on a Unix socket (the service account)
    Serve(serve::ServeArgs),
    /// Attach this terminal to a session on the running server (OpenSSH mode's forced command)
    Attach(serve::AttachArgs),
    /// sshd's AuthorizedKeysCommand: the forced-command line for an agent's key, else nothing
    Keys(serve::KeysArgs),
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

/// The agent running this command: the OS user's, or `--agent` where
/// allowed (see [`crate::identity::resolve`]).
pub fn whoami(db: &mut Db, cli: &Cli) -> Result<crate::store::agents::Agent, Error> {
    crate::identity::resolve(db, cli.agent.as_deref())
}

/// [`whoami`], refused unless the role allows `p` (domain::access).
pub fn whoami_for(
    db: &mut Db,
    cli: &Cli,
    p: crate::domain::access::Permission,
) -> Result<crate::store::agents::Agent, Error> {
    let me = whoami(db, cli)?;
    crate::domain::access::require(&me.login, me.role, p)?;
    Ok(me)
}

/// Exit status when stdout was closed by the reader (`hotline check | head
/// -1`): what a process killed by SIGPIPE reports, without the noise.
pub const CLOSED_PIPE: u8 = 141;

pub fn main() -> ExitCode {
    // clap's own messages echo the arguments: they are cleaned like
    // everything else printed (a typed escape sequence stays harmless).
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let text = e.render().to_string();
            let mut o = if e.use_stderr() {
                out::Out::stderr()
            } else {
                out::Out::stdout()
            };
            let _ = o.text(&text);
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    crate::log::init();
    let r = run(cli);
    // Text that was not UTF-8 was shown with U+FFFD; say where it is.
    let (notes, n) = crate::store::take_notes();
    for s in &notes {
        tracing::warn!("{s}");
        out::warn(&format!("hotline: warning: {s}"));
    }
    if n > notes.len() {
        out::warn(&format!(
            "hotline: warning: {} more such values",
            n - notes.len()
        ));
    }
    match r {
        Ok(code) => code,
        Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::from(CLOSED_PIPE)
        }
        Err(e) => {
            tracing::error!("{e}");
            out::warn(&format!("hotline: {e}"));
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
        Some(Command::Lookup(a)) => lookup::run(&cli, a),
        Some(Command::Audit(a)) => audit::run(&cli, a),
        Some(Command::Import(a)) => import::run(&cli, a),
        Some(Command::Backup(a)) => backup::run(&cli, a),
        Some(Command::Completions(a)) => completions::completions(a),
        Some(Command::Man(a)) => completions::man(a),
        Some(Command::Report(a)) => report::run(&cli, a),
        Some(Command::Export(a)) => report::export(&cli, a),
        Some(Command::Serve(a)) => serve::serve(&cli, a),
        Some(Command::Attach(a)) => serve::attach(&cli, a),
        Some(Command::Keys(a)) => serve::keys(&cli, a),
        Some(Command::Wallboard) => {
            let mut o = cli.tui_options(cli.db_path(), None);
            o.wallboard = true;
            crate::ui::run(o)
        }
        None if cli.demo => seed::demo(&cli),
        None => crate::ui::run(cli.tui_options(cli.db_path(), None)),
    }
}
