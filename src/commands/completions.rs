//! `verity completions SHELL`: the completion script, on standard output.
//!
//! Install it where the shell looks, e.g.
//! `verity completions bash > ~/.local/share/bash-completion/completions/verity`
//! (docs/commands.md lists the place for each shell).

use crate::cli::{Cli, CompletionsArgs};
use std::io::Write as _;
use std::process::ExitCode;

pub(super) fn run(args: CompletionsArgs) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "verity", &mut script);
    // Written at once, so a closed pipe (`| head`) is an error, not a panic.
    match std::io::stdout().lock().write_all(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the completion script: {e}");
            ExitCode::from(1)
        }
    }
}
