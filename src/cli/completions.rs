//! Shell completions and the man page, generated from the clap definitions
//! so they cannot drift from the commands.
use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::error::Error;

#[derive(clap::Args, Debug)]
pub struct CompletionArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write hotline.1 and one page per subcommand (hotline-intake.1, …) into DIR
    /// instead of printing hotline.1 to standard output
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

pub fn completions(a: &CompletionArgs) -> Result<ExitCode, Error> {
    let mut cmd = super::Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "hotline", &mut buf);
    write_stdout(&buf)
}

pub fn man(a: &ManArgs) -> Result<ExitCode, Error> {
    let cmd = super::Cli::command();
    match &a.out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            write_stdout(&buf)
        }
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Error::invalid(
                    "--out",
                    format!(
                        "{}: not a directory",
                        crate::text::for_display(&dir.display().to_string())
                    ),
                ));
            }
            clap_mangen::generate_to(cmd, dir)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A closed pipe (`hotline man | head`) ends the command quietly.
fn write_stdout(buf: &[u8]) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(buf).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
