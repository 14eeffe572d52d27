//! `hotline serve`, `hotline attach` and `hotline keys` (issue 9).
use std::path::PathBuf;
use std::process::ExitCode;

use super::Cli;
use super::out::Out;
use crate::error::Result;
use crate::serve::{self, wire};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The Unix socket `hotline attach` connects to [default: the database path + .sock]
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Also serve agents over SSH on ADDR (e.g. 0.0.0.0:2222), keys only; the host key is kept beside the database
    #[arg(long, value_name = "ADDR")]
    pub ssh: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct AttachArgs {
    /// The server's socket [default: the database path + .sock]
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct KeysArgs {
    /// The key's type, sshd's %t (ssh-ed25519, ssh-rsa, …)
    pub algorithm: String,
    /// The key, base64, sshd's %k
    pub key: String,
    /// The server's socket the forced command attaches to [default: the database path + .sock]
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
}

fn socket(cli: &Cli, given: Option<&PathBuf>) -> PathBuf {
    given
        .cloned()
        .unwrap_or_else(|| wire::default_socket(&cli.db_path()))
}

pub fn serve(cli: &Cli, a: &ServeArgs) -> Result<ExitCode> {
    serve::run(serve::Options {
        db: cli.db_path(),
        socket: socket(cli, a.socket.as_ref()),
        ssh: a.ssh.clone(),
        lang: cli.lang.clone(),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The agent is the one the forced command names (sshd wrote it from the
/// key); only the service account can reach the socket at all.
pub fn attach(cli: &Cli, a: &AttachArgs) -> Result<ExitCode> {
    let agent = cli
        .agent
        .clone()
        .unwrap_or_else(|| crate::identity::os_user().login.clone());
    serve::attach::run(&socket(cli, a.socket.as_ref()), &agent, cli.lang.clone())?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the line for a known, active agent's key and nothing otherwise;
/// sshd reads an empty answer as "no such key". Refusals go to the log.
pub fn keys(cli: &Cli, a: &KeysArgs) -> Result<ExitCode> {
    let mut db = cli.open()?;
    let exe = std::env::current_exe()?;
    let sock = socket(cli, a.socket.as_ref());
    match serve::keys::line_for(&mut db, &exe, &sock, &a.algorithm, &a.key)? {
        Ok(line) => Out::stdout().line(&line)?,
        Err(why) => tracing::warn!("ssh key refused: {}", crate::text::for_display(&why)),
    }
    Ok(ExitCode::SUCCESS)
}
