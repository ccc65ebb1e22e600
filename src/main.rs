//! The `verity` binary: parse the command line, run it, exit with its status.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    verity::commands::run(verity::cli::Cli::parse())
}
