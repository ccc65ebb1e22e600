//! `verity completions SHELL`: the completion script, on standard output.
//!
//! Install it where the shell looks, e.g.
//! `verity completions bash > ~/.local/share/bash-completion/completions/verity`
//! (docs/commands.md lists the place for each shell).

use crate::cli::{Cli, CompletionsArgs};
use std::process::ExitCode;

pub(super) fn run(args: CompletionsArgs) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "verity", &mut script);
    match super::stdout(&String::from_utf8_lossy(&script)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => {
            eprintln!("error: cannot write the completion script to standard output");
            ExitCode::from(1)
        }
    }
}
