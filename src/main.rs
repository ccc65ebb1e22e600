//! The `verity` binary: parse the command line, run it, exit with its status.

use clap::Parser;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    verity::commands::run(verity::cli::Cli::parse())
}
