//! One function per subcommand: each only wires the library together and
//! reports. This and `main.rs` are the only places that print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod build;
mod check;
mod completions;
mod scaffold;
mod serve;
mod sources;
mod watch;

use crate::cli::{Cli, Command};
use crate::diagnostics::Diagnostics;
use std::process::ExitCode;

/// Runs a parsed command line; returns the process exit status
/// (0 success, 1 content errors or a failed write, 2 usage errors).
pub fn run(cli: Cli) -> ExitCode {
    let root = cli.root.as_path();
    let result = match cli.command {
        Command::Build(args) => build::run(root, args),
        Command::Check(args) => check::run(root, args),
        Command::Watch(args) => watch::run(root, args),
        Command::Serve(args) => serve::run(root, args),
        Command::New(args) => scaffold::new(root, args),
        Command::Init(args) => scaffold::init(args),
        Command::Sources(args) => sources::run(root, args),
        Command::Completions(args) => Ok(completions::run(args)),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Run(crate::Error::Content(d))) => {
            report(&d);
            ExitCode::from(1)
        }
        Err(Failure::Run(crate::Error::Other(e))) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Why a command stopped.
pub(crate) enum Failure {
    /// The command line asks for something impossible (exit 2).
    Usage(String),
    /// The work failed (exit 1).
    Run(crate::Error),
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Self {
        Failure::Run(e)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Run(crate::Error::Other(e))
    }
}

/// Writes a command's report to standard output. A reader that went away
/// (`verity check --format json | head`) is not an error: the report was
/// for it alone. Any other failure (a full disk) is.
fn stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Run(
            crate::Error::Other(anyhow::anyhow!("cannot write to standard output: {e}")),
        )),
        _ => Ok(()),
    }
}

/// Prints diagnostics for a person, on standard error.
fn report(d: &Diagnostics) {
    if !d.is_empty() {
        eprint!("{}", d.human());
    }
}

/// A usage error unless `root` is a folder.
fn existing_root(root: &std::path::Path) -> Result<(), Failure> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "--root {}: no such folder",
            root.display()
        )))
    }
}
